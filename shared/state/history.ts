import { randomUUID } from 'node:crypto';
import { keys } from './keys.js';
import { expiryAfterDays, isExpired, type Store } from './store.js';

/**
 * History: every change slbc made in AWS, with the event that caused it, kept `historyDays`.
 * It answers "why is this target here?". One item per change (a chunk of targets registered
 * is one change), sorted by time under the reconcile key.
 */
export interface Cause {
  /** the bus event's detail-type, or `resync` */
  detailType: string;
  /** the bus event id, audit id, log event id: whatever identifies it */
  eventId?: string;
  auditId?: string;
  observedAt?: string;
  /** the queue gen this pass reconciled: all events up to it are folded in */
  gen?: number;
}

export interface HistoryEntry {
  key: string;
  at: string;
  /** e.g. RegisterTargets, DeregisterTargets, CreateLoadBalancer */
  action: string;
  /** what was changed: a target group ARN, a load balancer ARN */
  resource: string;
  /** the change's payload, e.g. the targets */
  details: unknown;
  cause: Cause;
}

export class History {
  constructor(
    private readonly store: Store,
    private readonly options: { now: () => number; historyDays: number },
  ) {}

  async record(entry: Omit<HistoryEntry, 'at'>): Promise<HistoryEntry> {
    const now = this.options.now();
    const at = new Date(now).toISOString();
    const full: HistoryEntry = { ...entry, at };
    await this.store.put({
      pk: keys.historyPartition(entry.key),
      sk: `${at}#${randomUUID().slice(0, 8)}`,
      doc: JSON.stringify(full),
      expiresAt: expiryAfterDays(now, this.options.historyDays),
    });
    return full;
  }

  /** Newest first. */
  async list(key: string, options: { limit?: number } = {}): Promise<HistoryEntry[]> {
    const items = await this.store.query(keys.historyPartition(key), {
      descending: true,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    const now = this.options.now();
    return items
      .filter((item) => !isExpired(item, now) && typeof item['doc'] === 'string')
      .map((item) => JSON.parse(String(item['doc'])) as HistoryEntry);
  }
}
