// Puts the cluster on every log line an activity writes (the SDK adds the workflow id). Every
// activity takes the cluster name first, or a request object with a `cluster` field.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export const activityLogAttributes: ActivityInterceptorsFactory = () => {
  let cluster: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const [first] = input.args as unknown[];
        cluster = typeof first === 'string' ? first : (first as { cluster?: string } | undefined)?.cluster;
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        return next(cluster ? { ...attributes, cluster } : attributes);
      },
    },
  };
};
