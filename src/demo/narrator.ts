// Turns what the Follower sees (the workflows' `status` queries and the exclusion list) into lines
// for someone who has not read the code, as it happens, and notes when each thing first happened
// (Facts) for the waits and the summary.
import type { OperationStatus, ClusterStatus, OperationRecord } from '../workflows/types.js';
import { exclusionsText } from './cluster-view.js';
import type { Snapshot } from './follow.js';
import { seconds, type Output } from './output.js';

/** When things first happened (ms epoch), by name: "night:stall", "morning:done", ... */
export class Facts {
  private readonly times = new Map<string, number>();

  mark(name: string, at = Date.now()): void {
    if (!this.times.has(name)) this.times.set(name, at);
  }

  get(name: string): number | undefined {
    return this.times.get(name);
  }
}

interface OperationMemory {
  announced: boolean;
  preflights: Set<string>;
  owned: Set<string>;
  phase?: string;
  stallShown: boolean;
  joined: number;
  finished: boolean;
}

export interface NarratorContext {
  /** Schedule id → the role it plays in the story ("night", "morning"). */
  roles: Record<string, string>;
  stallAfterText: string;
  /** preflight.awareness of the demo cluster. */
  preflightAwareness: string;
}

export class Narrator {
  readonly facts = new Facts();
  private readonly memory = new Map<string, OperationMemory>();
  private desired?: string;
  private recordsSeen = 0;
  private exclusions?: string;

  constructor(
    private readonly output: Output,
    private readonly context: NarratorContext,
  ) {}

  /** The role of an operation in the story, from who asked for it. */
  roleOf(status: Pick<OperationStatus, 'source'>): string | undefined {
    return this.context.roles[status.source.replace(/^schedule:/, '')];
  }

  observe(snapshot: Snapshot): void {
    // An exclusion is added after the operation says it owns it, and removed before it ends: tell
    // them in that order when one read sees both.
    const removal = snapshot.exclusions !== undefined && exclusionsText(snapshot.exclusions) === 'none';
    if (snapshot.cluster) this.observeCluster(snapshot.cluster);
    if (removal) this.observeExclusions(snapshot.exclusions!);
    // Finished operations and how they ended come before the one that runs now.
    const history = snapshot.cluster?.history ?? [];
    const finished = new Set(history.map((r) => r.workflowId));
    for (const [id, status] of snapshot.operations) if (finished.has(id)) this.observeOperation(id, status);
    this.observeRecords(history);
    for (const [id, status] of snapshot.operations) if (!finished.has(id)) this.observeOperation(id, status);
    if (!removal && snapshot.exclusions) this.observeExclusions(snapshot.exclusions);
  }

  private observeCluster(cluster: ClusterStatus): void {
    const desired = cluster.desired ? `${cluster.desired.replicas}|${cluster.desired.source}` : undefined;
    if (desired && desired !== this.desired) {
      this.desired = desired;
      const superseding = cluster.running && cluster.running.target !== cluster.desired!.replicas;
      this.output.line(
        `cluster workflow: desired target is now ${cluster.desired!.replicas} replicas (from ${cluster.desired!.source})` +
          (superseding ? `; ${short(cluster.running!.workflowId)} is pursuing ${cluster.running!.target}: it is superseded` : ''),
      );
    }
  }

  private observeOperation(id: string, status: OperationStatus): void {
    const memory = this.memoryOf(id);
    const role = this.roleOf(status);
    const name = `${short(id)}${role ? ` (${role})` : ''}`;
    const fact = (what: string) => this.facts.mark(`${role ?? short(id)}:${what}`);

    if (!memory.announced && (status.direction !== undefined || status.result)) {
      memory.announced = true;
      fact('started');
      const change = status.fromReplicas !== undefined ? `${status.fromReplicas} → ${status.target} replicas` : `target ${status.target}`;
      const what = status.direction === 'in' ? 'scale-in' : status.direction === 'out' ? 'scale-out' : 'nothing to do';
      this.output.line(`${name} started: ${change}, ${what} (asked by ${status.source}; workflow ${id})`);
    }

    if (status.preflight && !memory.preflights.has(status.preflight.pod)) {
      memory.preflights.add(status.preflight.pod);
      const p = status.preflight;
      if (p.verdict === 'ok') {
        this.output.line(`${name}: pre-flight ok for ${p.pod}: ${p.summary}`);
      } else {
        fact('preflight-warning');
        const emptied = p.findings.some((f) => f.check === 'zoneEmpties');
        const headline = emptied && p.zone ? `${p.pod} is the last node in zone ${p.zone}` : `${p.pod} cannot be drained cleanly`;
        this.output.line(
          `${name}: ${this.output.style('warn', `PRE-FLIGHT WARNING: ${headline}`)}\n` +
            `  ${p.summary}\n` +
            (this.context.preflightAwareness === 'warn'
              ? '  preflight.awareness is "warn" in this demo, so es-scaler goes ahead to show the stall;\n' +
                '  with the default, "refuse", the operation would stop here, before changing anything.'
              : ''),
        );
      }
    }

    for (const entry of status.ownedExclusions) {
      if (memory.owned.has(entry)) continue;
      memory.owned.add(entry);
      fact('excluded');
      this.output.line(`${name}: excluded ${entry} from shard allocation (cluster.routing.allocation.exclude): Elasticsearch should move its shards away`);
    }

    if (status.addedPods.length > memory.joined) {
      memory.joined = status.addedPods.length;
      const expected = status.fromReplicas !== undefined ? status.target - status.fromReplicas : status.addedPods.length;
      fact('joined');
      this.output.line(`${name}: ${status.addedPods.join(', ')} joined the Elasticsearch cluster (${status.addedPods.length}/${expected} new nodes)`);
    }

    if (status.phase !== memory.phase) {
      memory.phase = status.phase;
      this.phaseLine(name, status, fact);
    }

    if (status.phase === 'draining' && status.shardsLeft !== undefined) {
      const stuckFor = status.stall ? `, none can move, stuck for ${seconds(Date.now() - Date.parse(status.stall.since))}` : '';
      this.output.progress(`drain-${id}`, `${name}: draining ${status.node}: ${status.shardsLeft} shards left${stuckFor} (gives up after stallAfter, ${this.context.stallAfterText})`);
    }

    if (status.phase === 'waiting-nodes' && status.fromReplicas !== undefined) {
      this.output.progress(`nodes-${id}`, `${name}: new nodes joined ${status.addedPods.length}/${status.target - status.fromReplicas}`);
    }

    if (status.stall && !memory.stallShown) {
      memory.stallShown = true;
      fact('stall');
      this.output.line(
        `${name}: ${this.output.style('warn', `STALLED: ${status.shardsLeft ?? '?'} shards cannot leave ${status.stall.node}.`)} ` +
          "Elasticsearch says why (_cluster/allocation/explain):",
      );
      this.output.block(condenseReasons(status.stall.reasons).map((r) => `│ ${r}`).join('\n'));
      if (status.stall.reasons.some((r) => r.startsWith('[awareness]'))) {
        this.output.block(
          `In short: zone awareness allows only so many copies of a shard per zone, the other zones already\n` +
            `hold theirs, and no other node is left in ${status.stall.node}'s zone: its shards have nowhere to go.`,
        );
      }
      this.output.line(
        `${name}: es-scaler shows this in its status (\`es-scaler status\`, the Temporal UI) and would fail the\n` +
          `  operation with this reason after stallAfter (${this.context.stallAfterText}) without progress instead of retrying all night.`,
      );
    }

    if (status.result && !memory.finished) {
      memory.finished = true;
      fact('done');
      const r = status.result;
      const cleanup = r.compensation.exclusionsRemoved.length > 0 ? `; its cleanup removed ${r.compensation.exclusionsRemoved.join(', ')}` : '';
      const style = r.outcome === 'succeeded' ? 'good' : r.outcome === 'failed' ? 'bad' : 'warn';
      this.output.line(`${name}: operation ${this.output.style(style, r.outcome)}${r.error ? `: ${r.error}` : ''}${cleanup}`);
    }
  }

  private phaseLine(name: string, status: OperationStatus, fact: (what: string) => void): void {
    switch (status.phase) {
      case 'draining':
        fact('draining');
        this.output.line(`${name}: draining ${status.node}: waiting for Elasticsearch to move its shards to other nodes`);
        return;
      case 'shrinking':
        this.output.line(`${name}: ${status.node} is empty; shrinking the StatefulSet`);
        return;
      case 'growing':
        this.output.line(`${name}: growing the StatefulSet to ${status.target} replicas`);
        return;
      case 'waiting-nodes':
        this.output.line(`${name}: waiting for the new pods to join Elasticsearch`);
        return;
      case 'waiting-health':
        this.output.line(`${name}: waiting for cluster health to be back`);
        return;
      case 'cleaning-up':
        if (status.ownedExclusions.length > 0 && this.exclusions !== 'none') this.output.line(`${name}: cleaning up: removing the exclusions it added`);
        return;
      default:
        return;
    }
  }

  private observeRecords(history: OperationRecord[]): void {
    for (const record of history.slice(this.recordsSeen)) {
      const role = this.context.roles[record.source.replace(/^schedule:/, '')];
      this.facts.mark(`${role ?? short(record.workflowId)}:${record.outcome}`);
      const style = record.outcome === 'succeeded' ? 'good' : record.outcome === 'failed' ? 'bad' : 'warn';
      this.output.line(
        `cluster workflow: ${short(record.workflowId)}${role ? ` (${role})` : ''} ended ${this.output.style(style, record.outcome)}: ${record.detail}` +
          (record.outcome === 'superseded'
            ? '\n  The cluster workflow cancelled it (a cancel, never a terminate), so its cleanup ran before the next operation started.'
            : ''),
      );
    }
    this.recordsSeen = history.length;
  }

  private observeExclusions(exclusions: Record<string, string>): void {
    const text = exclusionsText(exclusions);
    if (text === this.exclusions) return;
    const before = this.exclusions;
    this.exclusions = text;
    if (before === undefined) return; // the first read: nothing changed yet
    if (text === 'none') {
      this.facts.mark('exclusion-removed');
      const morning = this.facts.get('morning:triggered');
      this.output.line(
        `Elasticsearch: exclusion list empty again (was ${before})` +
          (morning ? `: ${this.output.style('good', `exclusion removed ${seconds(Date.now() - morning)} after the morning trigger`)}` : ''),
      );
    } else {
      this.output.line(`Elasticsearch: cluster.routing.allocation.exclude is now ${text}`);
    }
  }

  private memoryOf(id: string): OperationMemory {
    let memory = this.memory.get(id);
    if (!memory) {
      memory = { announced: false, preflights: new Set(), owned: new Set(), stallShown: false, joined: 0, finished: false };
      this.memory.set(id, memory);
    }
    return memory;
  }
}

/**
 * Elasticsearch gives one explanation per node and decider, many alike; the demo shows the first of
 * each decider and how many more there are (`es-scaler status` and the UI have them all).
 */
export function condenseReasons(reasons: string[]): string[] {
  const groups = new Map<string, { first: string; more: number }>();
  for (const reason of reasons) {
    const decider = /^\[([^\]]+)\]/.exec(reason)?.[1] ?? reason;
    const group = groups.get(decider);
    if (group) group.more++;
    else groups.set(decider, { first: reason, more: 0 });
  }
  return [...groups.values()].map(({ first, more }) => (more > 0 ? `${first} (+${more} more like it, for other nodes)` : first));
}

/** "cluster/production/op-2-1a2b3c4d" → "op-2". */
export function short(workflowId: string): string {
  const last = workflowId.split('/').at(-1) ?? workflowId;
  return /^op-\d+/.exec(last)?.[0] ?? last;
}
