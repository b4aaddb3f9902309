import { keys } from './keys.js';
import type { Store } from './store.js';

/**
 * Recorded errors: input slbc cannot act on, kept against the object that caused it, so one
 * bad Ingress or binding is reported (`slbc status`) instead of retried forever or silently
 * dropped. The stacks function records per-Ingress errors, the targets function per-binding
 * ones. One record per object and reconcile key; recording again overwrites.
 */
export interface RecordedError {
  cluster: string;
  /** e.g. Ingress, Service, TargetGroupBinding, Event */
  kind: string;
  namespace?: string;
  name: string;
  /** the offending field, dotted */
  field?: string;
  message: string;
  /** the reconcile key that hit it */
  key: string;
  at: string;
  /**
   * Set on a pass that AWS refused (a permanent error): the key settled with this error, and
   * resync asks for a reconcile again once `retryAt` (ISO) passed; `attempts` doubles the wait.
   */
  attempts?: number;
  retryAt?: string;
}

export type ErrorRef = Pick<RecordedError, 'cluster' | 'kind' | 'namespace' | 'name' | 'key'>;

function sortKey(ref: ErrorRef): string {
  return `${ref.cluster}#${ref.kind}/${ref.namespace ?? ''}/${ref.name}#${ref.key}`;
}

export class RecordedErrors {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async record(error: Omit<RecordedError, 'at'>): Promise<RecordedError> {
    const full: RecordedError = { ...error, at: new Date(this.now()).toISOString() };
    await this.store.put({ pk: keys.errorsPartition(), sk: sortKey(error), doc: JSON.stringify(full) });
    return full;
  }

  async clear(ref: ErrorRef): Promise<void> {
    await this.store.delete({ pk: keys.errorsPartition(), sk: sortKey(ref) });
  }

  /** Clears every error recorded under reconcile key `key`, whatever its cluster and object. */
  async clearForKey(key: string): Promise<number> {
    const items = await this.store.query(keys.errorsPartition());
    const stale = items.filter((item) => String(item['sk']).endsWith(`#${key}`));
    for (const item of stale) await this.store.delete({ pk: keys.errorsPartition(), sk: String(item['sk']) });
    return stale.length;
  }

  /** Every error whose reconcile key is `key` (to clear them after a clean pass). */
  async listForKey(cluster: string, key: string): Promise<RecordedError[]> {
    return (await this.list(cluster)).filter((error) => error.key === key);
  }

  async list(cluster?: string): Promise<RecordedError[]> {
    const items = await this.store.query(keys.errorsPartition(), {
      ...(cluster === undefined ? {} : { skPrefix: `${cluster}#` }),
    });
    return items.map((item) => JSON.parse(String(item['doc'])) as RecordedError);
  }
}
