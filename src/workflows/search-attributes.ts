// Search attributes let the Temporal UI and `temporal workflow list` filter by cluster and
// direction. They must be registered on the namespace (the dev server does it at start-up).
import { defineSearchAttributeKey } from '@temporalio/common';

export const EsClusterKey = defineSearchAttributeKey('EsCluster', 'KEYWORD');
export const ScaleDirectionKey = defineSearchAttributeKey('ScaleDirection', 'KEYWORD');
/** How an operation ended (succeeded, failed, cancelled), so `ScaleOutcome = 'failed'` is a list query and a UI column. Superseded operations end cancelled; the cluster workflow's history tells them apart. */
export const ScaleOutcomeKey = defineSearchAttributeKey('ScaleOutcome', 'KEYWORD');

export const SEARCH_ATTRIBUTES = { EsCluster: 'Keyword', ScaleDirection: 'Keyword', ScaleOutcome: 'Keyword' } as const;
