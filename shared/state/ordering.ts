import { InvalidInputError } from '../errors.js';

/**
 * Ordering of Kubernetes changes in the mirror.
 *
 * resourceVersion is etcd's revision: a cluster-wide counter, so two numeric versions compare
 * numerically even across objects and uids. Kubernetes calls it opaque, so a non-numeric one is
 * compared only for equality and the audit time decides.
 *
 * A kubelet's `pods/status` patch is logged without the resulting resourceVersion, so status
 * patches are ordered by the audit event's stageTimestamp (`observedAt`), with the auditId as a
 * tie-break that makes the order total and deterministic. The API server stamps stageTimestamp
 * after the write, from one clock per server; across HA API servers the clocks differ by
 * little, and a status that ends up stale is healed by the next patch or by resync.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === b) return 0;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : 1;
  }
  return undefined;
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * A string that sorts like the event's time, whatever the timestamp's precision:
 * `<epoch seconds, 12 digits>.<nanoseconds, 9 digits>#<auditId>`.
 */
export function eventOrderKey(observedAt: string, auditId: string): string {
  const match = ISO.exec(observedAt);
  const seconds = match === null ? Number.NaN : Date.parse(`${match[1]}${match[3]}`) / 1000;
  if (match === null || Number.isNaN(seconds)) {
    throw new InvalidInputError(`observedAt "${observedAt}" is not an RFC 3339 timestamp`, {
      subject: { kind: 'AuditEvent', name: auditId, field: 'observedAt' },
    });
  }
  const nanos = (match[2] ?? '').padEnd(9, '0');
  return `${String(seconds).padStart(12, '0')}.${nanos}#${auditId}`;
}

/** The time part of an order key, in epoch milliseconds (for lag metrics). */
export function orderKeyMillis(orderKey: string): number {
  const [seconds = '0', rest = ''] = orderKey.split('.');
  return Number(seconds) * 1000 + Math.floor(Number(rest.slice(0, 9)) / 1e6);
}
