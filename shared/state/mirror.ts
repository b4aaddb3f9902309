import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { ConflictError, InvalidInputError } from '../errors.js';
import { type Kind, OBJECT_SCHEMAS, type ObjectsByKind } from '../k8s/objects.js';
import { statusOfPatch, trimPodStatusPatch } from '../k8s/patch.js';
import { keys } from './keys.js';
import { type Decision, decide, type Incoming, type MirrorState, storedForm } from './mirror-rules.js';
import {
  endpointsCapacity,
  SELECTOR,
  type ServiceSelector,
  serviceSelectors,
  storedSelector,
  summaryAttributes,
} from './mirror-summary.js';
import { eventOrderKey } from './ordering.js';
import {
  type MirroredService,
  type SelectorEntry,
  SelectorIndex,
  type SyncReport,
} from './selector-index.js';
import { expiryAfterDays, type Item, isExpired, type Store } from './store.js';

/**
 * The mirror: the last known version of each Kubernetes object slbc reads, trimmed by the
 * shared/k8s/objects schemas. Each change is one read and at most one conditional write
 * (optimistic concurrency on an internal revision `rev`), decided by mirror-rules.ts. A
 * duplicate, late or replayed event costs a read and no write.
 */
type Json = Record<string, unknown>;

export interface ObjectRef {
  cluster: string;
  kind: Kind;
  namespace?: string;
  name: string;
}

export interface ChangeMeta {
  /** the audit event's stageTimestamp */
  observedAt: string;
  auditId: string;
}

export interface MirrorResult<K extends Kind = Kind> {
  applied: boolean;
  outcome: Extract<Decision, { write: true }>['outcome'] | Extract<Decision, { write: false }>['reason'];
  /** the live object before and after the change (undefined when absent or deleted) */
  before?: ObjectsByKind[K];
  after?: ObjectsByKind[K];
}

export interface MirrorOptions {
  now: () => number;
  /** how long tombstones and orphan pending patches are kept */
  tombstoneDays: number;
}

/** Documents larger than this are compressed (brotli): a 100-address Endpoints is ~16 KB of JSON. */
const COMPRESS_ABOVE_BYTES = 700;
/**
 * Quality 5: on a pod (~0.7 KB) and a 100-address Endpoints (~14 KB) it gives the same bytes as
 * quality 9 in about 1/80 of the CPU (~0.1 ms against 5 to 10 ms per write); at 1,000 pods
 * quality 9 was the biggest single CPU cost of the system benchmark.
 */
const BROTLI_QUALITY = 5;
const brotliOptions = (bytes: number) => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
  },
});

const MAX_ATTEMPTS = 6;

export class Mirror {
  private readonly selectorIndex: SelectorIndex;

  constructor(
    private readonly store: Store,
    private readonly options: MirrorOptions,
  ) {
    this.selectorIndex = new SelectorIndex(store, options.now);
  }

  /** Writes an object if it is newer than the mirrored one (resourceVersion; uid for pods). */
  async upsertObject<K extends Kind>(
    cluster: string,
    kind: K,
    object: unknown,
    meta: ChangeMeta,
  ): Promise<MirrorResult<K>> {
    const parsed = parseObject(kind, object, meta.auditId);
    const metadata = parsed['metadata'] as {
      name: string;
      namespace?: string;
      uid?: string;
      resourceVersion?: string;
    };
    return this.apply<K>(
      { cluster, kind, namespace: metadata.namespace, name: metadata.name },
      {
        type: 'upsert',
        object: parsed,
        ...(metadata.uid === undefined ? {} : { uid: metadata.uid }),
        ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
        order: eventOrderKey(meta.observedAt, meta.auditId),
      },
    );
  }

  /** Leaves a tombstone (with expiresAt) so a late create of the same version cannot resurrect it. */
  async deleteObject<K extends Kind>(
    ref: ObjectRef & { kind: K; uid?: string; resourceVersion?: string },
    meta: ChangeMeta,
  ): Promise<MirrorResult<K>> {
    return this.apply<K>(ref, {
      type: 'delete',
      ...(ref.uid === undefined ? {} : { uid: ref.uid }),
      ...(ref.resourceVersion === undefined ? {} : { resourceVersion: ref.resourceVersion }),
      order: eventOrderKey(meta.observedAt, meta.auditId),
    });
  }

  /** Merges a kubelet status patch into the pod with this uid, or keeps it pending until that pod arrives. */
  async patchPodStatus(
    ref: { cluster: string; namespace: string; name: string; uid: string },
    patch: Json,
    meta: ChangeMeta,
  ): Promise<MirrorResult<'Pod'>> {
    return this.apply<'Pod'>(
      { ...ref, kind: 'Pod' },
      {
        type: 'statusPatch',
        uid: ref.uid,
        patch: trimPodStatusPatch(statusOfPatch(patch)),
        order: eventOrderKey(meta.observedAt, meta.auditId),
      },
    );
  }

  async getObject<K extends Kind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): Promise<ObjectsByKind[K] | undefined> {
    const item = await this.store.get(keys.object(cluster, kind, namespace, name));
    return item === undefined ? undefined : (liveObject(decodeState(item)) as ObjectsByKind[K] | undefined);
  }

  /** Present, deleted (a tombstone), or unknown (never seen): callers treat the last two differently. */
  async lookup<K extends Kind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): Promise<Known<ObjectsByKind[K]>> {
    const item = await this.store.get(keys.object(cluster, kind, namespace, name));
    if (item === undefined || isExpired(item, this.options.now())) return { state: 'unknown' };
    const state = decodeState(item);
    if (state.deleted) return { state: 'deleted' };
    const object = liveObject(state);
    return object === undefined
      ? { state: 'unknown' }
      : { state: 'present', object: object as ObjectsByKind[K] };
  }

  /**
   * The objects of one kind named in `names` (one namespace), read in BatchGetItem calls rather
   * than one GetItem each: what a pass needs when it knows the names (the pods an Endpoints
   * names). Absent, deleted and expired objects are left out.
   */
  async getObjects<K extends Kind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    names: readonly string[],
  ): Promise<ObjectsByKind[K][]> {
    if (names.length === 0) return [];
    const items = await this.store.batchGet(
      [...new Set(names)].map((name) => keys.object(cluster, kind, namespace, name)),
    );
    const now = this.options.now();
    const out: ObjectsByKind[K][] = [];
    for (const item of items) {
      if (item === undefined || isExpired(item, now)) continue;
      const object = liveObject(decodeState(item));
      if (object !== undefined) out.push(object as ObjectsByKind[K]);
    }
    return out;
  }

  /**
   * The selectors of the namespace's mirrored Services, without reading their documents: from
   * the selector index once the cluster's is ready (selector-index.ts), else from the Service
   * items' summaries.
   */
  async listServiceSelectors(cluster: string, namespace: string): Promise<ServiceSelector[]> {
    if (await this.selectorIndex.isReady(cluster)) return this.selectorIndex.list(cluster, namespace);
    return serviceSelectors(this.store, cluster, namespace, this.options.now(), (name) =>
      this.getObject(cluster, 'Service', namespace, name),
    );
  }

  /** Resync's check of the cluster's selector index against every mirrored Service; marks it ready. */
  async syncSelectorIndex(cluster: string): Promise<SyncReport> {
    const now = this.options.now();
    const items = await this.store.query(keys.objectPartition(cluster, 'Service'), {
      attributes: ['sk', 'rev', 'deleted', 'expiresAt', SELECTOR],
    });
    const mirrored: MirroredService[] = [];
    for (const item of items) {
      if (isExpired(item, now)) continue;
      const sk = String(item['sk']);
      const slash = sk.indexOf('/');
      mirrored.push({
        namespace: sk.slice(0, slash),
        name: sk.slice(slash + 1),
        rev: Number(item['rev'] ?? 0),
        deleted: item['deleted'] === true,
        ...(typeof item['expiresAt'] === 'number' ? { expiresAt: item['expiresAt'] } : {}),
        selector: storedSelector(item),
      });
    }
    return this.selectorIndex.sync(cluster, mirrored, async (service) => {
      const whole = await this.getObject(cluster, 'Service', service.namespace, service.name);
      return whole?.spec.selector ?? null;
    });
  }

  /** Whether the Endpoints is mirrored and lists its pods, without reading its document. */
  async endpointsCapacity(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<'listed' | 'over-capacity' | 'absent'> {
    return endpointsCapacity(this.store, cluster, namespace, name, this.options.now(), () =>
      this.getObject(cluster, 'Endpoints', namespace, name),
    );
  }

  async listObjects<K extends Kind>(
    cluster: string,
    kind: K,
    namespace?: string,
  ): Promise<ObjectsByKind[K][]> {
    const items = await this.store.query(keys.objectPartition(cluster, kind), {
      ...(namespace === undefined ? {} : { skPrefix: `${namespace}/` }),
    });
    const now = this.options.now();
    const out: ObjectsByKind[K][] = [];
    for (const item of items) {
      if (isExpired(item, now)) continue;
      const object = liveObject(decodeState(item));
      if (object !== undefined) out.push(object as ObjectsByKind[K]);
    }
    return out;
  }

  private async apply<K extends Kind>(ref: ObjectRef, incoming: Incoming): Promise<MirrorResult<K>> {
    const key = keys.object(ref.cluster, ref.kind, ref.namespace, ref.name);
    const firstService = ref.kind === 'Service' && (await this.isFirstService(ref.cluster));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const item = await this.store.get(key);
      const live = item !== undefined && !isExpired(item, this.options.now());
      const existing = live ? decodeState(item) : undefined;
      const rev = live ? Number(item['rev'] ?? 0) : undefined;
      const before =
        existing === undefined ? undefined : (liveObject(existing) as ObjectsByKind[K] | undefined);
      const decision = decide(existing, incoming);
      if (!decision.write) {
        // the retry of an invocation that failed between the mirror's write and the index's
        if (ref.kind === 'Service' && item !== undefined && existing !== undefined && rev !== undefined)
          await this.selectorIndex.repair(ref.cluster, selectorEntry(ref, existing, rev, item));
        return {
          applied: false,
          outcome: decision.reason,
          ...(before === undefined ? {} : { before, after: before }),
        };
      }
      const next = encodeState(decision.next, ref, (rev ?? 0) + 1);
      if (liveObject(decision.next) === undefined) {
        next['expiresAt'] = expiryAfterDays(this.options.now(), this.options.tombstoneDays);
      }
      const written = await this.store.put(
        { ...key, ...next },
        item === undefined
          ? { expression: 'attribute_not_exists(pk)' }
          : {
              expression: '#rev = :rev',
              names: { '#rev': 'rev' },
              values: { ':rev': Number(item['rev'] ?? 0) },
            },
      );
      if (written) {
        if (ref.kind === 'Service') await this.indexService(ref, decision.next, next, firstService);
        const after = liveObject(decision.next) as ObjectsByKind[K] | undefined;
        return {
          applied: true,
          outcome: decision.outcome,
          ...(before === undefined ? {} : { before }),
          ...(after === undefined ? {} : { after }),
        };
      }
    }
    throw new ConflictError(
      `mirror write for ${ref.kind} ${ref.namespace ?? ''}/${ref.name} kept losing to concurrent writers`,
      {
        subject: { kind: ref.kind, name: `${ref.namespace ?? ''}/${ref.name}` },
      },
    );
  }

  /**
   * Whether the cluster's index is not ready yet and the mirror holds none of its Services: then
   * every Service is written by a version that indexes it, and the first one marks it ready.
   * Checked before the write, so Services written at once cannot each hide the cluster from
   * the others' checks forever (one that checks after another's write defers to resync).
   */
  private async isFirstService(cluster: string): Promise<boolean> {
    if (await this.selectorIndex.isReady(cluster)) return false;
    const services = await this.store.query(keys.objectPartition(cluster, 'Service'), {
      attributes: ['sk'],
      limit: 1,
    });
    return services.length === 0;
  }

  /** The selector index's entry for a Service just written, and the ready mark of a fresh cluster. */
  private async indexService(
    ref: ObjectRef,
    state: MirrorState,
    written: Item,
    first: boolean,
  ): Promise<void> {
    await this.selectorIndex.record(ref.cluster, selectorEntry(ref, state, Number(written['rev']), written));
    if (first) await this.selectorIndex.markReady(ref.cluster);
  }
}

function selectorEntry(ref: ObjectRef, state: MirrorState, rev: number, item: Item): SelectorEntry {
  const live = liveObject(state) as ObjectsByKind['Service'] | undefined;
  return {
    namespace: ref.namespace ?? '',
    name: ref.name,
    selector: live?.spec.selector ?? null,
    rev,
    deleted: live === undefined,
    ...(typeof item['expiresAt'] === 'number' ? { expiresAt: item['expiresAt'] } : {}),
  };
}

export type Known<T> = { state: 'present'; object: T } | { state: 'deleted' } | { state: 'unknown' };

function parseObject(kind: Kind, object: unknown, auditId: string): Json {
  const result = OBJECT_SCHEMAS[kind].safeParse(object);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const name = (object as { metadata?: { namespace?: string; name?: string } } | undefined)?.metadata;
    throw new InvalidInputError(
      `${kind} ${name?.namespace ?? ''}/${name?.name ?? '?'}: field ${field}: ${issue?.message}`,
      {
        subject: { kind, name: `${name?.namespace ?? ''}/${name?.name ?? auditId}`, field },
      },
    );
  }
  return result.data as Json;
}

function liveObject(state: MirrorState): Json | undefined {
  return state.deleted ? undefined : state.object;
}

function encodeState(state: MirrorState, ref: ObjectRef, rev: number): Item {
  const item: Item = { kind: ref.kind, name: ref.name, order: state.order, deleted: state.deleted, rev };
  if (ref.namespace !== undefined) item['namespace'] = ref.namespace;
  if (state.uid !== undefined) item['uid'] = state.uid;
  if (state.resourceVersion !== undefined) item['rv'] = state.resourceVersion;
  if (state.statusOrder !== undefined) item['statusOrder'] = state.statusOrder;
  if (state.object !== undefined) {
    const json = JSON.stringify(storedForm(ref.kind, state.object));
    if (json.length > COMPRESS_ABOVE_BYTES)
      item['docb'] = brotliCompressSync(json, brotliOptions(json.length));
    else item['doc'] = json;
    if (!state.deleted) Object.assign(item, summaryAttributes(ref.kind, state.object));
  }
  if (state.pending !== undefined) item['pending'] = JSON.stringify(state.pending);
  return item;
}

function decodeState(item: Item): MirrorState {
  const doc = item['doc'];
  const docb = item['docb'];
  const docz = item['docz'];
  const object =
    typeof doc === 'string'
      ? (JSON.parse(doc) as Json)
      : docb instanceof Uint8Array
        ? (JSON.parse(brotliDecompressSync(docb).toString('utf8')) as Json)
        : docz instanceof Uint8Array
          ? (JSON.parse(gunzipSync(docz).toString('utf8')) as Json)
          : undefined;
  const pending = typeof item['pending'] === 'string' ? JSON.parse(item['pending']) : undefined;
  return {
    ...(typeof item['uid'] === 'string' ? { uid: item['uid'] } : {}),
    ...(typeof item['rv'] === 'string' ? { resourceVersion: item['rv'] } : {}),
    order: String(item['order'] ?? ''),
    ...(typeof item['statusOrder'] === 'string' ? { statusOrder: item['statusOrder'] } : {}),
    ...(object === undefined ? {} : { object }),
    deleted: item['deleted'] === true,
    ...(pending === undefined ? {} : { pending }),
  };
}
