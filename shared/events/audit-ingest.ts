import {
  AUDIT_API_VERSION,
  AuditEventSchema,
  classifyAuditEvent,
  type DropReason,
  mightBeWatchedWrite,
} from '../k8s/audit.js';
import { clusterOfLogGroup, decodeSubscriptionEvent, type SubscriptionPayload } from '../k8s/subscription.js';
import { normaliseAuditEvent, withoutBody } from './audit-normalise.js';
import { CLUSTER_SOURCE, type ClusterChangeDetail, detailTypeFor } from './contract.js';
import type { BusEntry } from './entry.js';
import { entrySize, MAX_ENTRY_BYTES } from './entry.js';

/**
 * The pure ingest pipeline: subscription payload -> audit events -> kept changes -> bus
 * entries, with an account of every line (kept, dropped and why, malformed and why, refused).
 * No I/O: the handler logs the report and hands the entries to the publisher.
 */

export interface IngestOptions {
  /** the clusters this deployment serves; a payload from any other is refused */
  clusters: readonly string[];
}

export interface LineProblem {
  logEventId: string;
  auditId?: string;
  /** the offending field, dotted */
  field?: string;
  reason: string;
}

export interface IngestReport {
  messageType: SubscriptionPayload['messageType'];
  logGroup: string;
  logStream: string;
  /** undefined for a CONTROL_MESSAGE */
  cluster?: string;
  linesIn: number;
  /** lines that became bus entries */
  kept: number;
  dropped: Record<DropReason, number>;
  /** lines from a cluster this deployment does not serve */
  refused: number;
  duplicates: number;
  malformed: LineProblem[];
  /** kept lines sent metadata-only with needsResync: true, and why */
  resync: LineProblem[];
}

export interface IngestBatch {
  entries: BusEntry[];
  report: IngestReport;
}

const emptyDrops = (): Record<DropReason, number> => ({
  prefilter: 0,
  stage: 0,
  verb: 0,
  resource: 0,
  failed: 0,
  dryRun: 0,
  noRelevantFields: 0,
});

/** Decodes a Lambda event and ingests it; throws InvalidInputError only for a corrupt payload. */
export function ingestSubscriptionEvent(event: unknown, options: IngestOptions): IngestBatch {
  return ingestPayload(decodeSubscriptionEvent(event), options);
}

export function ingestPayload(payload: SubscriptionPayload, options: IngestOptions): IngestBatch {
  const report: IngestReport = {
    messageType: payload.messageType,
    logGroup: payload.logGroup,
    logStream: payload.logStream,
    linesIn: payload.logEvents.length,
    kept: 0,
    dropped: emptyDrops(),
    refused: 0,
    duplicates: 0,
    malformed: [],
    resync: [],
  };
  // CloudWatch Logs checks that the destination is reachable with these; they carry no data.
  if (payload.messageType === 'CONTROL_MESSAGE') return { entries: [], report };
  const cluster = clusterOfLogGroup(payload.logGroup);
  report.cluster = cluster;
  if (!options.clusters.includes(cluster)) {
    report.refused = payload.logEvents.length;
    return { entries: [], report };
  }

  const entries: BusEntry[] = [];
  const seen = new Set<string>();
  for (const logEvent of payload.logEvents) {
    const message = logEvent.message;
    const logEventId = logEvent.id;
    if (message.trimStart()[0] !== '{') {
      report.malformed.push({ logEventId, reason: 'message is not a JSON object' });
      continue;
    }
    if (!mightBeWatchedWrite(message)) {
      report.dropped.prefilter += 1;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch (error) {
      report.malformed.push({ logEventId, reason: `message is not JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = AuditEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') ?? '';
      report.malformed.push({
        logEventId,
        field,
        reason: `not an ${AUDIT_API_VERSION} Event: field ${field || '(root)'}: ${issue?.message}`,
      });
      continue;
    }
    const event = parsed.data;
    const verdict = classifyAuditEvent(event);
    if (verdict.outcome === 'drop') {
      report.dropped[verdict.reason] += 1;
      continue;
    }
    if (verdict.outcome === 'malformed') {
      report.malformed.push({
        logEventId,
        auditId: event.auditID,
        field: verdict.field,
        reason: verdict.message,
      });
      continue;
    }
    // One request is one change, however many times CloudWatch or the API server logged it.
    if (seen.has(event.auditID)) {
      report.duplicates += 1;
      continue;
    }
    seen.add(event.auditID);
    const normalised = normaliseAuditEvent({ ...verdict, event, cluster, logEventId });
    if (normalised.outcome === 'noRelevantFields') {
      report.dropped.noRelevantFields += 1;
      continue;
    }
    const { entry, oversize } = toEntry(normalised.detail);
    const note = oversize ?? normalised.note;
    if (entry === undefined) {
      report.malformed.push({ logEventId, auditId: event.auditID, reason: note ?? 'does not fit an entry' });
      continue;
    }
    if (note !== undefined) report.resync.push({ logEventId, auditId: event.auditID, reason: note });
    entries.push(entry);
    report.kept += 1;
  }
  return { entries, report };
}

function busEntry(detail: ClusterChangeDetail): BusEntry {
  return {
    source: CLUSTER_SOURCE,
    detailType: detailTypeFor(detail),
    detail: JSON.stringify(detail),
    time: new Date(detail.observedAt),
  };
}

/** The entry for a change; over the 256 KB budget it goes out metadata-only, marked needsResync. */
function toEntry(detail: ClusterChangeDetail): { entry?: BusEntry; oversize?: string } {
  const entry = busEntry(detail);
  const size = entrySize(entry);
  if (size <= MAX_ENTRY_BYTES) return { entry };
  const oversize = `entry of ${size} bytes is over the ${MAX_ENTRY_BYTES}-byte budget; sent metadata-only`;
  const slim = busEntry(withoutBody(detail));
  // Metadata alone cannot approach the budget unless a name or ID is absurd; refuse it then.
  return entrySize(slim) <= MAX_ENTRY_BYTES ? { entry: slim, oversize } : { oversize };
}
