// Activities that talk to Temporal itself or read the worker's config.
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../config/schema.js';
import { InputError } from '../domain/input-error.js';
import { submitTarget, type TargetSubmission } from '../temporal/submit-target.js';
import type { ClusterConnections } from './connections.js';
import type { ClusterPolicy } from '../workflows/types.js';

export function createTemporalActivities(deps: { client: Client; config: Config; connections: ClusterConnections }) {
  return {
    async loadClusterPolicy(cluster: string): Promise<ClusterPolicy> {
      return deps.connections.policy(cluster);
    },

    async submitTarget(submission: TargetSubmission): Promise<{ workflowId: string }> {
      try {
        return await submitTarget(deps.client, deps.config, submission);
      } catch (err) {
        if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidTarget');
        throw err;
      }
    },
  };
}
