// Workflow ids are readable so operators can type them into `temporal` and the UI.

/**
 * An operation's id: its number in the cluster's sequence (carried across continue-as-new) and the
 * start of the run id that started it, so ids stay unique after the cluster workflow is
 * terminated, reset or started afresh (the sequence then restarts).
 */
export function operationWorkflowId(clusterWorkflow: string, sequence: number, runId: string): string {
  return `${clusterWorkflow}/op-${sequence}-${runId.slice(0, 8)}`;
}
