// The drain watch both drain methods share: poll one node's drain and hand control back to the
// workflow only when it has something to decide: the node is drained (F7), the hold is gone, the
// node left or came back, copies stopped moving (the workflow asks Elasticsearch why), or nothing
// progressed for `stallAfterMs` since `progressSince` (a stall). Copies moving off the node are
// progress, shown in the heartbeat, not reported: that keeps a drain's history the same size
// however long it takes (docs/design.md → Performance). A failing poll is retried here; it does not
// stop the stall clock, and a stall reports the failure.
import { DrainProgress } from '../domain/drain-progress.js';
import type { DrainPoll } from '../domain/drain-safety.js';
import type { ExclusionEntry } from '../domain/exclusion-list.js';
import { describeError, permanentFailureOf } from './permanent-errors.js';
import { watch } from './polling.js';

export interface WatchRequest {
  cluster: string;
  pollIntervalMs: number;
  returnAfterMs: number;
}

export interface DrainWatchRequest extends WatchRequest {
  node: string;
  last?: DrainPoll;
  /** exclude method: the exclusion this operation holds (a poll says whether it is still in force). */
  entry?: ExclusionEntry;
  /** The workflow's stall clock: when the drain last progressed (epoch ms) and how long it may not. */
  progressSince?: number;
  stallAfterMs?: number;
}

/** The last good look at the drain, when it last progressed, and why polling fails if it does. */
export interface DrainWatch extends DrainPoll {
  lastProgressAt?: number;
  pollError?: string;
}

/** `read`: one look at the drain; `alsoWorthReporting`: what else the method's workflow must hear about at once. */
export async function watchDrainUntilDecision<P extends DrainPoll>(
  request: DrainWatchRequest & { last?: P },
  read: () => Promise<P>,
  alsoWorthReporting: (poll: P, last: P | undefined) => boolean = () => false,
): Promise<P & DrainWatch> {
  const progress = new DrainProgress(request.progressSince ?? Date.now());
  if (request.last) progress.observe({ shardsLeft: workLeft(request.last), at: progress.since });
  const stalled = () => request.stallAfterMs !== undefined && progress.isStalled(Date.now(), request.stallAfterMs);
  let latest = request.last;
  let pollError: string | undefined;
  const observation = await watch({
    ...request,
    about: { node: request.node },
    poll: async () => {
      try {
        latest = await read();
        pollError = undefined;
      } catch (err) {
        // without an earlier look there is nothing to report yet: the activity is retried
        if (!latest || permanentFailureOf(err, 'watchDrain')) throw err;
        pollError = describeError(err);
      }
      return latest;
    },
    worthReporting: (poll) => {
      if (pollError) return stalled();
      progress.observe({ shardsLeft: workLeft(poll), at: Date.now() });
      return poll.drained || poll.entryInForce === false || drainTurned(poll, request.last) || alsoWorthReporting(poll, request.last) || stalled();
    },
  });
  return { ...observation, lastProgressAt: progress.since, ...(pollError && { pollError }) };
}

/** Copies on the node plus copies to rebuild: a drain progresses when this goes down. */
function workLeft(poll: DrainPoll): number {
  return poll.shardsLeft + poll.unassigned;
}

/** Copies left that nothing moves: Elasticsearch may be refusing them (the workflow asks why). */
function stuck(poll: DrainPoll): boolean {
  return poll.relocating === 0 && workLeft(poll) > 0;
}

/** The first look, the node leaving or coming back, or copies that stopped moving. */
function drainTurned(poll: DrainPoll, last: DrainPoll | undefined): boolean {
  return !last || poll.nodePresent !== last.nodePresent || (stuck(poll) && !stuck(last));
}
