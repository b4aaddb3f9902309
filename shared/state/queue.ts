import { createHash } from 'node:crypto';
import type { Item, Store } from './store.js';

/**
 * The work queue: controller-runtime's de-duplicating workqueue, in DynamoDB. One item per
 * reconcile key holds `gen` (bumped by every event), `doneGen` (the gen last reconciled) and a
 * lease. The loop, for whoever wins the lease:
 *
 *   bump(key)            ADD gen 1                          (every event, before trying the lease)
 *   tryLease(key)        SET owner, until   IF no lease OR expired OR mine
 *   loop: seen = gen → reconcile → complete(key, seen)
 *   complete             SET doneGen = seen, REMOVE lease   IF gen = seen AND owner = me AND unexpired
 *                        (fails when an event bumped gen meanwhile: reconcile again)
 *
 * An invocation that finds the lease held simply exits: the holder will see the bumped gen
 * when its complete() fails. A crashed holder's lease expires; the next event or resync
 * (`listDirty`, `listExpiredLeases`) takes the key over. A burst of events thus becomes a
 * handful of reconciles.
 *
 * Items are spread over QUEUE_SHARDS partitions so bumps do not all land on one partition key.
 */
export const QUEUE_SHARDS = 4;

export function queueShard(key: string): number {
  return createHash('sha256').update(key).digest()[0]! % QUEUE_SHARDS;
}

function queueKey(key: string) {
  return { pk: `queue#${queueShard(key)}`, sk: key };
}

export interface QueueEntry {
  key: string;
  gen: number;
  doneGen: number;
  leaseOwner?: string;
  /** epoch ms */
  leaseUntil?: number;
}

export interface Lease {
  key: string;
  owner: string;
  /** the gen at the moment the lease was taken: what this pass reconciles */
  gen: number;
  doneGen: number;
}

function toEntry(item: Item): QueueEntry {
  return {
    key: String(item['sk']),
    gen: Number(item['gen'] ?? 0),
    doneGen: Number(item['doneGen'] ?? 0),
    ...(typeof item['leaseOwner'] === 'string' ? { leaseOwner: item['leaseOwner'] } : {}),
    ...(typeof item['leaseUntil'] === 'number' ? { leaseUntil: item['leaseUntil'] } : {}),
  };
}

export class WorkQueue {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Marks the key dirty; returns the entry after the bump (its gen, and who holds the lease). */
  async bump(key: string): Promise<QueueEntry> {
    const result = await this.store.update(queueKey(key), { add: { gen: 1 }, set: { bumpedAt: this.now() } });
    return result.item === undefined ? { key, gen: 1, doneGen: 0 } : toEntry(result.item);
  }

  /** True when someone other than `owner` holds an unexpired lease: trying it would only cost a failed write. */
  heldByOther(entry: QueueEntry, owner: string): boolean {
    return (
      entry.leaseOwner !== undefined && entry.leaseOwner !== owner && (entry.leaseUntil ?? 0) >= this.now()
    );
  }

  async tryLease(key: string, owner: string, leaseSeconds: number): Promise<Lease | undefined> {
    const now = this.now();
    const result = await this.store.update(queueKey(key), {
      set: { leaseOwner: owner, leaseUntil: now + leaseSeconds * 1000 },
      condition: {
        expression: 'attribute_not_exists(#owner) OR #until < :now OR #owner = :me',
        names: { '#owner': 'leaseOwner', '#until': 'leaseUntil' },
        values: { ':now': now, ':me': owner },
      },
    });
    if (!result.applied || result.item === undefined) return undefined;
    const entry = toEntry(result.item);
    return { key, owner, gen: entry.gen, doneGen: entry.doneGen };
  }

  /**
   * Releases the lease if no event came in since `genSeen` and the lease has not expired; false
   * means reconcile again. A pass that outlived its lease stopped at its fence before writing,
   * even when nobody took the key over (the owner is still ours): marking it done would lose
   * that work until the next event.
   */
  async complete(key: string, owner: string, genSeen: number): Promise<boolean> {
    const now = this.now();
    const result = await this.store.update(queueKey(key), {
      set: { doneGen: genSeen, doneAt: now },
      remove: ['leaseOwner', 'leaseUntil'],
      condition: {
        expression: '#owner = :me AND #gen = :seen AND #until >= :now',
        names: { '#owner': 'leaseOwner', '#gen': 'gen', '#until': 'leaseUntil' },
        values: { ':me': owner, ':seen': genSeen, ':now': now },
      },
    });
    return result.applied;
  }

  /**
   * Fencing: true while `owner` still holds an unexpired lease on the key. A conditional no-op
   * write (it only stamps `fencedAt`), so DynamoDB decides against the latest lease: a holder
   * that stalled past its lease (a long GC, a slow call) and was taken over learns it here,
   * before its next ELBv2 write, instead of writing over the new holder's work.
   */
  async stillHolds(key: string, owner: string): Promise<boolean> {
    const now = this.now();
    const result = await this.store.update(queueKey(key), {
      set: { fencedAt: now },
      condition: {
        expression: '#owner = :me AND #until >= :now',
        names: { '#owner': 'leaseOwner', '#until': 'leaseUntil' },
        values: { ':me': owner, ':now': now },
      },
    });
    return result.applied;
  }

  /**
   * Claims the key's one pending delayed re-check, due at `dueAt`: false when one is already
   * pending (its due time not passed), so passes in a burst schedule one re-check, not one each.
   */
  async claimRecheck(key: string, dueAt: number): Promise<boolean> {
    const result = await this.store.update(queueKey(key), {
      set: { recheckAt: dueAt },
      condition: {
        expression: 'attribute_not_exists(#at) OR #at <= :now',
        names: { '#at': 'recheckAt' },
        values: { ':now': this.now() },
      },
    });
    return result.applied;
  }

  /** The re-check arrived: the next pass that needs one may schedule it again. */
  async clearRecheck(key: string): Promise<void> {
    await this.store.update(queueKey(key), { remove: ['recheckAt'] });
  }

  /** Gives the lease up without marking anything done (after a failure: the key stays dirty). */
  async release(key: string, owner: string): Promise<void> {
    await this.store.update(queueKey(key), {
      remove: ['leaseOwner', 'leaseUntil'],
      condition: { expression: '#owner = :me', names: { '#owner': 'leaseOwner' }, values: { ':me': owner } },
    });
  }

  async get(key: string): Promise<QueueEntry | undefined> {
    const item = await this.store.get(queueKey(key));
    return item === undefined ? undefined : toEntry(item);
  }

  /** Keys with events not yet reconciled (gen > doneGen), optionally only those starting with `prefix`. */
  async listDirty(prefix = ''): Promise<QueueEntry[]> {
    return (await this.listAll(prefix)).filter((entry) => entry.gen > entry.doneGen);
  }

  /** Keys whose holder has not renewed or released its lease in time (probably crashed). */
  async listExpiredLeases(prefix = ''): Promise<QueueEntry[]> {
    const now = this.now();
    return (await this.listAll(prefix)).filter(
      (entry) => entry.leaseOwner !== undefined && (entry.leaseUntil ?? 0) < now,
    );
  }

  private async listAll(prefix: string): Promise<QueueEntry[]> {
    const shards = await Promise.all(
      Array.from({ length: QUEUE_SHARDS }, (_, shard) =>
        this.store.query(`queue#${shard}`, { skPrefix: prefix }),
      ),
    );
    return shards.flat().map(toEntry);
  }
}

/** A pass found, before an ELBv2 write, that its lease was taken over: it must write nothing more. */
export class LeaseLostError extends Error {
  constructor(readonly key: string) {
    super(`lease on ${key} was lost (expired and taken over): the pass stops before its next write`);
    this.name = 'LeaseLostError';
  }
}

export interface DriveResult {
  /** false when another invocation held the lease (it will pick our bump up) */
  leased: boolean;
  /** how many reconcile passes ran */
  passes: number;
  /** events folded into those passes: gen advanced by this much */
  eventsCoalesced: number;
}

/**
 * The reusable driver every function uses: take the lease, reconcile until no event came in
 * meanwhile, release. `reconcile` gets the lease (its gen) and must be idempotent. If it throws,
 * the lease is released without marking the key done, and the error propagates (so Lambda
 * retries a retryable one; the key stays dirty for resync either way).
 */
export interface DriveOptions {
  /** safety stop; the key stays dirty for the next event or resync */
  maxPasses?: number;
  /** the entry bump() returned: if another invocation holds the lease, exit without a write */
  bumped?: QueueEntry;
  /**
   * When events arrived during a pass (a burst is under way), wait before the next pass so it
   * folds in more of them: until no event came for `quietMs`, at most `settleMs`. An isolated
   * event is reconciled at once. The wait only reads the queue item.
   */
  settleMs?: number;
  quietMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Waits while events keep coming: until a quiet interval passes with no bump, or the cap. */
async function settle(
  queue: WorkQueue,
  key: string,
  options: DriveOptions,
  sleep: (ms: number) => Promise<void>,
) {
  const cap = options.settleMs ?? 0;
  const quiet = Math.min(options.quietMs ?? 500, cap);
  let waited = 0;
  let seen = (await queue.get(key))?.gen;
  while (waited < cap) {
    const step = Math.min(quiet, cap - waited);
    await sleep(step);
    waited += step;
    const gen = (await queue.get(key))?.gen;
    if (gen === seen) return;
    seen = gen;
  }
}

export async function workQueue(
  queue: WorkQueue,
  key: string,
  owner: string,
  leaseSeconds: number,
  reconcile: (lease: Lease) => Promise<void>,
  options: DriveOptions = {},
): Promise<DriveResult> {
  if (options.bumped !== undefined && queue.heldByOther(options.bumped, owner)) {
    return { leased: false, passes: 0, eventsCoalesced: 0 };
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let lease = await queue.tryLease(key, owner, leaseSeconds);
  if (lease === undefined) return { leased: false, passes: 0, eventsCoalesced: 0 };
  const startDone = lease.doneGen;
  const maxPasses = options.maxPasses ?? 25;
  for (let passes = 1; ; passes += 1) {
    try {
      await reconcile(lease);
    } catch (error) {
      await queue.release(key, owner).catch(() => undefined);
      throw error;
    }
    // a read first: a complete that fails because events came in would still cost a write
    const current = await queue.get(key);
    if (current?.gen === lease.gen && (await queue.complete(key, owner, lease.gen))) {
      return { leased: true, passes, eventsCoalesced: lease.gen - startDone };
    }
    // gen moved on (or the lease was taken over after expiring): let the burst settle, renew, go again
    if ((options.settleMs ?? 0) > 0 && passes < maxPasses) await settle(queue, key, options, sleep);
    const renewed = passes < maxPasses ? await queue.tryLease(key, owner, leaseSeconds) : undefined;
    if (renewed === undefined) {
      if (passes >= maxPasses) await queue.release(key, owner).catch(() => undefined);
      return { leased: true, passes, eventsCoalesced: lease.gen - startDone };
    }
    lease = renewed;
  }
}
