// What a Temporal Schedule starts: it hands its target to the cluster's workflow and ends. A
// schedule cannot see other schedules' runs, so supersede happens in the cluster workflow (F5).
import { calls } from './activity-proxies.js';

export interface RequestScaleInput {
  cluster: string;
  replicas: number;
  source: string;
}

export async function requestScale(input: RequestScaleInput): Promise<{ workflowId: string }> {
  return calls.submitTarget(input);
}
