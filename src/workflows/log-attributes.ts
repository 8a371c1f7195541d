// Puts the cluster on every log line a workflow writes (the SDK adds the workflow id).
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { EsClusterKey } from './search-attributes.js';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      getLogAttributes(input, next) {
        const cluster = workflowInfo().typedSearchAttributes.get(EsClusterKey);
        return next(cluster ? { ...input, cluster } : input);
      },
    },
  ],
});
