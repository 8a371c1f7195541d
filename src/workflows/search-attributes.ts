// Search attributes let the Temporal UI and `temporal workflow list` filter by cluster and
// direction. They must be registered on the namespace (the dev server does it at start-up).
import { defineSearchAttributeKey } from '@temporalio/common';

export const EsClusterKey = defineSearchAttributeKey('EsCluster', 'KEYWORD');
export const ScaleDirectionKey = defineSearchAttributeKey('ScaleDirection', 'KEYWORD');

export const SEARCH_ATTRIBUTES = { EsCluster: 'Keyword', ScaleDirection: 'Keyword' } as const;
