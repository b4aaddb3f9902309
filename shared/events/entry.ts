/**
 * A bus entry and EventBridge's size rules, pure: the ingest pipeline sizes its entries with
 * them and the PutEvents port (shared/aws/event-publisher.ts) sends them.
 */

/** One event to put, already serialised (the caller owns its schema). */
export interface BusEntry {
  source: string;
  detailType: string;
  /** JSON text */
  detail: string;
  /** the event's `time`; EventBridge uses the receipt time when absent */
  time?: Date;
  resources?: string[];
}

/** PutEvents limits: 10 entries per call; 256 KB per entry and per request (eb-putevent-size). */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_ENTRY_BYTES = 256 * 1024;
export const MAX_REQUEST_BYTES = 256 * 1024;

/** An entry's size as EventBridge counts it: Time 14 bytes, the UTF-8 bytes of the rest. */
export function entrySize(entry: BusEntry): number {
  let size = entry.time === undefined ? 0 : 14;
  size +=
    Buffer.byteLength(entry.source) + Buffer.byteLength(entry.detailType) + Buffer.byteLength(entry.detail);
  for (const resource of entry.resources ?? []) size += Buffer.byteLength(resource);
  return size;
}
