import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type BusEntry, entrySize, MAX_ENTRY_BYTES } from '../../aws/event-publisher.js';
import { RetryableError } from '../../errors.js';
import {
  CLUSTER_SOURCE,
  type ClusterChangeDetail,
  CONTRACT_VERSION,
  DETAIL_TYPES,
  detailTypeFor,
  INTERNAL_SOURCE,
  type ReconcileRequestedDetail,
} from '../../events/contract.js';
import { CLUSTER_SCOPED, KINDS, type Kind } from '../../k8s/objects.js';
import { holdFirstSightings, planResync, type ResyncChange } from '../../plan/resync.js';
import {
  clusterOfStackKey,
  STACK_KEY_PREFIX,
  TARGET_GROUP_KEY_PREFIX,
  targetGroupOfKey,
} from '../../state/keys.js';
import { retryDue } from '../backoff.js';
import { eachItem } from '../driver.js';
import { RESYNC_METRICS, type ResyncDeps } from './ports.js';
import { clustersToResync, isScheduledResync } from './route.js';

/**
 * One resync pass. For each cluster: list every kind slbc reads, compare with the mirror, and
 * send what differs onto the bus as ordinary cluster changes, so the targets and stacks
 * functions refresh the mirror and bump their keys exactly as for an audit event (one code
 * path, and a resync shows up in the archive like any change). Then ask for a reconcile of
 * every key left dirty without a live lease, which takes over crashed holders, and of every key
 * that settled with an error whose backoff passed.
 */
export interface ClusterReport {
  cluster: string;
  listed: Partial<Record<Kind, number>>;
  upserts: number;
  deletes: number;
  /** kinds whose list failed: nothing of theirs was changed */
  failedKinds: { kind: Kind; message: string }[];
  invalid: { name: string; message: string }[];
  oversize: string[];
  /** differences a scheduled run did not send: first sightings, or the mirror moved (plan/resync.ts) */
  held: number;
  /** selector index entries rewritten to match the mirror (shared/state/selector-index.ts) */
  selectorIndexRepaired: number;
}

export interface ResyncReport {
  runId: string;
  clusters: ClusterReport[];
  reconcileRequests: { key: string; reason: ReconcileRequestedDetail['reason'] }[];
}

export interface ResyncOptions {
  /** a scheduled run: send a difference only on its second sighting (plan/resync.ts holdFirstSightings) */
  holdFirstSightings?: boolean;
}

/** One resync invocation: on the schedule, or by hand with `{"clusters": [...]}` (route.ts). */
export function handleResyncEvent(deps: ResyncDeps, event: unknown): Promise<ResyncReport> {
  return runResync(deps, clustersToResync(event, deps.config.clusters), {
    holdFirstSightings: isScheduledResync(event),
  });
}

export async function runResync(
  deps: ResyncDeps,
  clusters: readonly string[],
  options: ResyncOptions = {},
): Promise<ResyncReport> {
  const runId = deps.newRunId();
  const reports: ClusterReport[] = [];
  // one cluster failing retryably does not stop the others (shared/reconcile/driver.ts)
  const retryable = await eachItem(clusters, async (cluster) => {
    try {
      reports.push(await resyncCluster(deps, cluster, runId, options));
    } catch (error) {
      deps.logger.error('resync of a cluster failed', { cluster, error: String(error) });
      throw error;
    }
  });
  const reconcileRequests = await requestReconciles(deps, runId);
  if (retryable !== undefined) throw retryable;
  return { runId, clusters: reports, reconcileRequests };
}

async function resyncCluster(
  deps: ResyncDeps,
  cluster: string,
  runId: string,
  options: ResyncOptions,
): Promise<ClusterReport> {
  const api = await deps.kubeApiFor(cluster);
  const report: ClusterReport = {
    cluster,
    listed: {},
    upserts: 0,
    deletes: 0,
    failedKinds: [],
    invalid: [],
    oversize: [],
    held: 0,
    selectorIndexRepaired: 0,
  };
  const planned: ResyncChange[] = [];
  for (const kind of KINDS) {
    let listed: Awaited<ReturnType<typeof api.list>>;
    try {
      listed = await api.list(kind);
    } catch (error) {
      // A failed list changes nothing for its kind: no upserts from half a list, no deletes.
      report.failedKinds.push({ kind, message: String(error) });
      deps.metrics.addMetric(RESYNC_METRICS.failedLists, MetricUnit.Count, 1);
      continue;
    }
    report.listed[kind] = listed.items.length;
    deps.metrics.addMetric(RESYNC_METRICS.listed, MetricUnit.Count, listed.items.length);
    const mirrored = await deps.state.mirror.listObjects(cluster, kind);
    const plan = planResync({ kind, listed: listed.items, mirrored, complete: true });
    report.invalid.push(...plan.invalid);
    planned.push(...plan.changes);
  }
  report.selectorIndexRepaired = await syncSelectorIndex(deps, cluster);
  const changes = options.holdFirstSightings ? await heldBack(deps, cluster, planned) : planned;
  report.held = planned.length - changes.length;
  if (report.held > 0) deps.metrics.addMetric(RESYNC_METRICS.held, MetricUnit.Count, report.held);
  const entries: BusEntry[] = [];
  const observedAt = new Date(deps.now()).toISOString();
  for (const change of changes) {
    const auditId = `resync-${runId}-${entries.length}`;
    let entry = changeEntry(cluster, change, observedAt, auditId, runId);
    if (entrySize(entry) > MAX_ENTRY_BYTES) {
      // over the bus's budget: sent without its object, as ingest does; the consumer fetches it
      report.oversize.push(
        `${change.kind} ${change.object.metadata.namespace ?? ''}/${change.object.metadata.name}`,
      );
      entry = changeEntry(cluster, change, observedAt, auditId, runId, { withoutObject: true });
    }
    entries.push(entry);
    if (change.op === 'delete') report.deletes += 1;
    else report.upserts += 1;
  }
  if (report.invalid.length > 0) {
    deps.logger.warn('objects that failed their schema were not resynced', {
      cluster,
      invalid: report.invalid,
    });
    deps.metrics.addMetric(RESYNC_METRICS.invalid, MetricUnit.Count, report.invalid.length);
  }
  if (report.oversize.length > 0) {
    deps.logger.warn('objects over the 256 KB event budget were sent without their body (needsResync)', {
      cluster,
      oversize: report.oversize,
    });
  }
  await deps.publisher.publish(entries);
  deps.metrics.addMetric(RESYNC_METRICS.changes, MetricUnit.Count, report.upserts);
  deps.metrics.addMetric(RESYNC_METRICS.deletes, MetricUnit.Count, report.deletes);
  deps.logger.info('cluster resynced', { ...report });
  if (report.failedKinds.length > 0) {
    throw new RetryableError(
      `resync of cluster ${cluster} could not list ${report.failedKinds.map((failed) => failed.kind).join(', ')}: ${report.failedKinds[0]?.message}`,
    );
  }
  return report;
}

/**
 * The selector index checked against the mirror's Services (and marked ready the first time).
 * A failure is logged and counted, not thrown: readers fall back to the Service items until the
 * index is ready, and a ready index gets the next period's check; resync's own work goes on.
 */
async function syncSelectorIndex(deps: ResyncDeps, cluster: string): Promise<number> {
  try {
    const { written, markedReady } = await deps.state.mirror.syncSelectorIndex(cluster);
    if (markedReady) {
      // the first check after an upgrade writes every Service's entry: a build, not a repair
      deps.logger.info('selector index built: pod events read it from now on', { cluster, written });
      return 0;
    }
    if (written > 0) {
      deps.metrics.addMetric(RESYNC_METRICS.selectorIndexRepairs, MetricUnit.Count, written);
      deps.logger.warn('selector index entries were behind the mirror and were rewritten', {
        cluster,
        written,
      });
    }
    return written;
  } catch (error) {
    deps.metrics.addMetric(RESYNC_METRICS.selectorIndexFailures, MetricUnit.Count, 1);
    deps.logger.warn('selector index check failed; retried next period', { cluster, error: String(error) });
    return 0;
  }
}

/** The differences to send now; all of them are kept as sightings (all are sent if they cannot be kept). */
async function heldBack(deps: ResyncDeps, cluster: string, planned: ResyncChange[]): Promise<ResyncChange[]> {
  const previous = await deps.state.resyncSightings.get(cluster);
  const { send, sightings } = holdFirstSightings(planned, previous);
  if (await deps.state.resyncSightings.put(cluster, sightings)) return send;
  deps.logger.warn('too many differences to hold for the next resync; all are sent now', {
    cluster,
    differences: planned.length,
  });
  return planned;
}

function changeEntry(
  cluster: string,
  change: ResyncChange,
  observedAt: string,
  auditId: string,
  runId: string,
  { withoutObject = false }: { withoutObject?: boolean } = {},
): BusEntry {
  const { metadata } = change.object;
  const detail: ClusterChangeDetail = {
    version: CONTRACT_VERSION,
    cluster,
    kind: change.kind,
    ...(CLUSTER_SCOPED.has(change.kind) ? {} : { namespace: metadata.namespace ?? 'default' }),
    name: metadata.name,
    ...(metadata.uid === undefined ? {} : { uid: metadata.uid }),
    ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
    verb: change.op === 'delete' ? 'delete' : change.reason === 'missing' ? 'create' : 'update',
    observedAt,
    auditId,
    logEventId: `resync-${runId}`,
    ...(withoutObject
      ? { needsResync: true }
      : { object: change.object as unknown as Record<string, unknown> }),
  };
  return {
    source: CLUSTER_SOURCE,
    detailType: detailTypeFor(detail),
    detail: JSON.stringify(detail),
    time: new Date(observedAt),
  };
}

/** Dirty keys nobody is working (no lease, or an expired one) get a Reconcile Requested. */
async function requestReconciles(
  deps: ResyncDeps,
  runId: string,
): Promise<ResyncReport['reconcileRequests']> {
  const now = deps.now();
  const [dirty, expired] = await Promise.all([
    deps.state.queue.listDirty(),
    deps.state.queue.listExpiredLeases(),
  ]);
  const reasons = new Map<string, ReconcileRequestedDetail['reason']>();
  for (const entry of dirty) {
    if (entry.leaseOwner === undefined || (entry.leaseUntil ?? 0) < now) reasons.set(entry.key, 'resync');
  }
  for (const entry of expired) reasons.set(entry.key, 'lease-expired');
  // keys that settled with a permanent error are tried again once their backoff passed
  for (const recorded of await deps.state.errors.list())
    if (retryDue(recorded, now) && !reasons.has(recorded.key)) reasons.set(recorded.key, 'retry');

  const served = new Set(deps.config.clusters);
  const requests: ResyncReport['reconcileRequests'] = [];
  const entries: BusEntry[] = [];
  const observedAt = new Date(now).toISOString();
  for (const [key, reason] of reasons) {
    const cluster = await clusterOfKey(deps, key);
    if (cluster === undefined || !served.has(cluster)) {
      deps.logger.warn('dirty key of no served cluster left alone', { key, cluster, runId });
      continue;
    }
    const detail: ReconcileRequestedDetail = { version: CONTRACT_VERSION, cluster, key, reason, observedAt };
    entries.push({
      source: INTERNAL_SOURCE,
      detailType: DETAIL_TYPES.ReconcileRequested,
      detail: JSON.stringify(detail),
    });
    requests.push({ key, reason });
  }
  await deps.publisher.publish(entries);
  deps.metrics.addMetric(RESYNC_METRICS.reconcileRequests, MetricUnit.Count, requests.length);
  return requests;
}

async function clusterOfKey(deps: ResyncDeps, key: string): Promise<string | undefined> {
  if (key.startsWith(STACK_KEY_PREFIX)) return clusterOfStackKey(key);
  if (key.startsWith(TARGET_GROUP_KEY_PREFIX))
    return (await deps.state.bindings.get(targetGroupOfKey(key)))?.cluster;
  return undefined;
}
