// Which StatefulSet in which Kubernetes cluster a config entry scales, and the id of the one
// workflow that serialises its operations. The id names what is scaled, not the entry's name:
// renaming an entry keeps its workflow, two entries for one StatefulSet are refused by the config
// check, and the same namespace/StatefulSet in two Kubernetes clusters gets two workflows.

export interface StatefulSetRef {
  apiServer?: string;
  context?: string;
  namespace: string;
  statefulSet: string;
}

/** "cluster/<ns>/<sts>" in the worker's own cluster; "cluster/<context>/<ns>/<sts>" or "cluster/<api host:port>/<ns>/<sts>" elsewhere. */
export function clusterWorkflowId(ref: StatefulSetRef): string {
  const where = ref.apiServer ? new URL(ref.apiServer).host : ref.context;
  return ['cluster', ...(where ? [where] : []), ref.namespace, ref.statefulSet].join('/');
}
