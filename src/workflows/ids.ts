// Workflow ids are readable so operators can type them into `temporal` and the UI.

/** One long-running workflow per StatefulSet serialises its operations. */
export function clusterWorkflowId(namespace: string, statefulSet: string): string {
  return `cluster/${namespace}/${statefulSet}`;
}

export function operationWorkflowId(clusterWorkflow: string, sequence: number): string {
  return `${clusterWorkflow}/op-${sequence}`;
}
