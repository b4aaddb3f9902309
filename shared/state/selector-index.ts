import { keys } from './keys.js';
import type { ServiceSelector } from './mirror-summary.js';
import { type Item, isExpired, type Key, type Store } from './store.js';

/**
 * The selector index: one small item per mirrored Service (`svcsel#<cluster>`, sk
 * `<namespace>/<name>`) holding its selector and the mirror revision it reflects. A pod event
 * asks which of its namespace's Services select it; read from the Service items themselves,
 * DynamoDB bills every item whole (a hundred Services of about 1 KB: some 20 read units per
 * pod event, and a page per MB in a namespace of thousands), where these items are tens of
 * bytes each.
 *
 * It is kept in step with the mirror without a transaction, by these rules:
 * - written after each mirror write of a Service, conditional on holding an older revision (or
 *   none, or an expired tombstone: a Service recreated after its tombstone expired starts again
 *   at revision 1), so a late or repeated write never takes it back;
 * - a Service event the mirror drops as already applied rewrites the entry if it lags (the
 *   retry of an invocation that failed between the two writes);
 * - resync compares every entry with the mirror's revision and rewrites what differs
 *   (`sync`), and only then marks the cluster's index ready;
 * - a cluster whose first Service slbc mirrors is marked ready at once: nothing predates it.
 * Until a cluster is marked ready, readers ask the Service items (mirror-summary.ts), as before.
 */

export interface SelectorEntry {
  namespace: string;
  name: string;
  /** null: a Service without a selector */
  selector: Record<string, string> | null;
  /** the mirror item's revision this entry reflects */
  rev: number;
  deleted: boolean;
  /** epoch seconds, a tombstone's, as the mirror item's */
  expiresAt?: number;
}

/** A mirror Service item as `sync` reads it; `selector` undefined when it must be read whole. */
export interface MirroredService {
  namespace: string;
  name: string;
  rev: number;
  deleted: boolean;
  expiresAt?: number;
  selector: Record<string, string> | null | undefined;
}

export interface SyncReport {
  /** entries written because they were missing or behind the mirror, or removed (no Service) */
  written: number;
  /** true when this sync marked the cluster's index ready */
  markedReady: boolean;
}

const READY_SK = '#ready';

export class SelectorIndex {
  /** clusters seen ready by this process: the marker is never taken back */
  private readonly ready = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Writes `entry` unless the index already holds the same or a later revision. */
  async record(cluster: string, entry: SelectorEntry): Promise<boolean> {
    const item: Item & Key = {
      ...keys.selectorEntry(cluster, entry.namespace, entry.name),
      sel: JSON.stringify(entry.selector),
      rev: entry.rev,
      deleted: entry.deleted,
    };
    if (entry.expiresAt !== undefined) item['expiresAt'] = entry.expiresAt;
    return this.store.put(item, {
      expression: 'attribute_not_exists(pk) OR #rev < :rev OR #exp <= :now',
      names: { '#rev': 'rev', '#exp': 'expiresAt' },
      values: { ':rev': entry.rev, ':now': Math.floor(this.now() / 1000) },
    });
  }

  /** Rewrites the entry of a Service whose mirror item is at `entry.rev`, if the index lags. */
  async repair(cluster: string, entry: SelectorEntry): Promise<boolean> {
    const indexed = await this.store.get(keys.selectorEntry(cluster, entry.namespace, entry.name), {
      attributes: ['rev', 'expiresAt'],
    });
    if (indexed !== undefined && !isExpired(indexed, this.now()) && Number(indexed['rev']) >= entry.rev)
      return false;
    return this.record(cluster, entry);
  }

  /** Whether readers may trust the cluster's index: marked ready once, cached for the process. */
  async isReady(cluster: string): Promise<boolean> {
    if (this.ready.has(cluster)) return true;
    const marker = await this.store.get(keys.selectorMarker(cluster, READY_SK), { attributes: ['pk'] });
    if (marker !== undefined) this.ready.add(cluster);
    return marker !== undefined;
  }

  async markReady(cluster: string): Promise<void> {
    await this.store.put({
      ...keys.selectorMarker(cluster, READY_SK),
      at: new Date(this.now()).toISOString(),
    });
    this.ready.add(cluster);
  }

  /** The selectors of the namespace's live Services, in one Query of small items. */
  async list(cluster: string, namespace: string): Promise<ServiceSelector[]> {
    const items = await this.store.query(keys.selectorPartition(cluster), {
      skPrefix: `${namespace}/`,
      attributes: ['sk', 'sel', 'deleted', 'expiresAt'],
    });
    const now = this.now();
    return items
      .filter((item) => item['deleted'] !== true && !isExpired(item, now))
      .map((item) => ({
        name: String(item['sk']).slice(namespace.length + 1),
        selector: JSON.parse(String(item['sel'])) as Record<string, string> | null,
      }));
  }

  /**
   * Brings the cluster's index in step with `mirrored` (every mirror Service item, expired
   * ones left out) and marks it ready: an entry missing or behind its item's revision is
   * rewritten (`readSelector` answers an item stored without its selector), and a live entry
   * whose Service the mirror no longer holds is removed.
   */
  async sync(
    cluster: string,
    mirrored: readonly MirroredService[],
    readSelector: (service: MirroredService) => Promise<Record<string, string> | null>,
  ): Promise<SyncReport> {
    const now = this.now();
    const indexed = new Map<string, Item>();
    for (const item of await this.store.query(keys.selectorPartition(cluster), {
      attributes: ['sk', 'rev', 'deleted', 'expiresAt'],
    })) {
      if (!isExpired(item, now)) indexed.set(String(item['sk']), item);
    }
    let written = 0;
    const seen = new Set<string>();
    for (const service of mirrored) {
      const sk = keys.selectorEntry(cluster, service.namespace, service.name).sk;
      seen.add(sk);
      const entry = indexed.get(sk);
      if (entry !== undefined && Number(entry['rev']) >= service.rev) continue;
      const selector = service.deleted ? null : (service.selector ?? (await readSelector(service)));
      const { selector: _stored, ...rest } = service;
      if (await this.record(cluster, { ...rest, selector })) written += 1;
    }
    for (const [sk, entry] of indexed) {
      if (seen.has(sk) || sk.startsWith('#') || entry['deleted'] === true) continue;
      // a live entry whose Service the mirror does not hold: removed unless rewritten meanwhile
      const removed = await this.store.delete(
        { pk: keys.selectorPartition(cluster), sk },
        { expression: '#rev = :rev', names: { '#rev': 'rev' }, values: { ':rev': Number(entry['rev']) } },
      );
      if (removed) written += 1;
    }
    const markedReady = !(await this.isReady(cluster));
    if (markedReady) await this.markReady(cluster);
    return { written, markedReady };
  }
}
