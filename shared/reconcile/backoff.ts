/**
 * Capped backoff for keys that settled with a permanent error (AWS refused the input: a
 * missing certificate, a quota). Such a key is not retried hot: it is marked done with its
 * error recorded, and resync asks for it again once the wait passed, so a fix made outside the
 * cluster (the certificate imported, the quota raised) is picked up without a new event.
 */
export const FIRST_RETRY_MS = 60_000;
export const MAX_RETRY_MS = 60 * 60_000;

/** The wait before attempt `attempts + 1`: 1, 2, 4 ... minutes, capped at an hour. */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new Error(`attempts must be a positive integer, got ${attempts}`);
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 30));
}

/** The retry schedule of the next failure, given the previous record's attempts (if any). */
export function nextRetry(
  previousAttempts: number | undefined,
  now: number,
): { attempts: number; retryAt: string } {
  const attempts = (previousAttempts ?? 0) + 1;
  return { attempts, retryAt: new Date(now + retryDelayMs(attempts)).toISOString() };
}

/** True when a settled-with-error record's wait has passed (a record without one is not due). */
export function retryDue(record: { retryAt?: string }, now: number): boolean {
  return record.retryAt !== undefined && Date.parse(record.retryAt) <= now;
}
