// What an operation puts in place to drain a node, whichever the drain method: an exclusion entry
// (drainMethod exclude) or a node-shutdown record (drainMethod shutdown). Either is owned from before
// the call that writes it and removed on every way out (F3).
import { formatEntry, type ExclusionEntry, type OwnedExclusion } from './exclusion-list.js';
import { formatRecord, type OwnedShutdownRecord } from './node-shutdown.js';

export type DrainHold = OwnedExclusion | OwnedShutdownRecord;

export function isShutdownRecord(hold: ExclusionEntry | OwnedShutdownRecord): hold is OwnedShutdownRecord {
  return 'nodeId' in hold;
}

/** "_name:es-data-6" for an exclusion entry, "_nodes/<id>/shutdown (es-data-6)" for a shutdown record. */
export function formatHold(hold: ExclusionEntry | OwnedShutdownRecord): string {
  return isShutdownRecord(hold) ? formatRecord(hold) : formatEntry(hold);
}
