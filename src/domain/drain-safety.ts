// When is a node drained, so its pod may go (F7)? Only when its data is safe elsewhere: the node is
// still in the cluster (a node that left or restarted "holds 0 shards" because its copies went
// unassigned), it holds no copy, and no copy anywhere is unassigned (any of them may have been on
// it; Elasticsearch rebuilds them, and the drain waits for that, like ECK does).
import type { ShardMigration } from './node-shutdown.js';

export interface DrainObservation {
  nodePresent: boolean;
  shardsLeft: number;
  relocating: number;
  /** Unassigned shard copies in the whole cluster. */
  unassigned: number;
}

export interface DrainPoll extends DrainObservation {
  drained: boolean;
  /** Whether what the operation put in place to drain the node (its exclusion entry, its shutdown record) is still in force (when it asked). */
  entryInForce?: boolean;
  /** The drain method `shutdown`: the node's record's shard migration, as Elasticsearch reports it. */
  shutdown?: ShardMigration;
}

export function drainVerdict(observation: DrainObservation): DrainPoll {
  return { ...observation, drained: observation.nodePresent && observation.shardsLeft === 0 && observation.unassigned === 0 };
}

/** What the drain waits for now, in words, for status and the UI. */
export function drainWaitingFor(poll: DrainPoll): string {
  if (!poll.nodePresent) return 'the node to come back (it left the cluster; its copies may be unassigned)';
  if (poll.shardsLeft > 0) return `${poll.shardsLeft} shard cop${poll.shardsLeft === 1 ? 'y' : 'ies'} to move (${poll.relocating} moving)`;
  if (poll.unassigned > 0) return `${poll.unassigned} unassigned cop${poll.unassigned === 1 ? 'y' : 'ies'} to be rebuilt`;
  return 'nothing: drained';
}
