// A workflow history as searchable text: every payload's bytes decoded (they are JSON under the
// default converter), so a test can look for what a history holds, not for how protobuf stores it.
import type { WorkflowHandle } from '@temporalio/client';

export async function historyText(handle: WorkflowHandle): Promise<string> {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
    else if (typeof value === 'string') parts.push(value);
  };
  walk(await handle.fetchHistory());
  return parts.join('\n');
}
