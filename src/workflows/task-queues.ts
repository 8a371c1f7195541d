// The task queues of one es-scaler deployment. Waiting activities run on their own queue, served in
// the same worker process by a second worker with its own slot budget (docs/design.md →
// Performance): a watch sleeps between polls and must not hold a slot a cleanup needs.

export function watchTaskQueue(taskQueue: string): string {
  return `${taskQueue}-watch`;
}
