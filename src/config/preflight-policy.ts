// The pre-flight policy of a cluster: for each check, refuse (the scale-in stops before anything is excluded),
// warn (it goes ahead, the finding shown in plan and status) or allow (not reported as a problem). By default
// only what cannot finish or would put data at risk is refused; an emptied zone is a warning.
import { z } from 'zod';
import type { PreflightPolicy } from '../domain/capacity/verdict.js';

const checkPolicy = z.enum(['refuse', 'warn', 'allow']);

export const preflightPolicySchema = z
  .strictObject({
    /** The drained node is the last data node of its zone (Elasticsearch may still finish the drain). */
    zoneEmpties: checkPolicy.default('warn'),
    /** A copy that awareness (or too few nodes for its copies) keeps on the node: the drain cannot finish. */
    awareness: checkPolicy.default('refuse'),
    /** The cluster is below `requiredHealth` when the scale-in starts. */
    health: checkPolicy.default('refuse'),
    /** The node's copies do not fit below the high watermark (plus `diskMarginPercent`) of the nodes that may take them. */
    disk: checkPolicy.default('refuse'),
    /** total_shards_per_node keeps copies on the node; cluster.max_shards_per_node exceeded after it (warns at most). */
    shardLimits: checkPolicy.default('refuse'),
    /** The node is master-eligible. */
    masterEligible: checkPolicy.default('refuse'),
    /** Index require/include/exclude filters or the tier preference pin copies to the node. */
    allocationFilters: checkPolicy.default('refuse'),
    requiredHealth: z.enum(['green', 'yellow']).default('green'),
    /** Free space kept on receiving nodes beyond the high watermark, in percent of each disk. */
    diskMarginPercent: z.number().min(0).max(50).default(5),
  })
  .prefault({});

export type PreflightPolicyConfig = z.infer<typeof preflightPolicySchema>;

/** The defaults; typed as the domain's policy, so the config and the domain cannot drift apart. */
export const defaultPreflightPolicy: PreflightPolicy = preflightPolicySchema.parse(undefined);
