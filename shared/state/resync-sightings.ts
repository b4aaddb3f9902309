import { gunzipSync, gzipSync } from 'node:zlib';
import { keys } from './keys.js';
import type { Store } from './store.js';

/**
 * The differences the last scheduled resync of a cluster saw, each with the mirror's
 * resourceVersion then (shared/plan/resync.ts `holdFirstSightings`): one item per cluster, the
 * map gzipped (a thousand sightings fit in a few tens of KB).
 */

/** Under DynamoDB's 400 KB item limit, with room for the keys. */
export const MAX_SIGHTINGS_BYTES = 350 * 1024;

export class ResyncSightings {
  constructor(private readonly store: Store) {}

  /**
   * The kept sightings; none when there are none or they cannot be read. An unreadable item
   * must not stop every scheduled resync: it costs one period, as if nothing had been seen.
   */
  async get(cluster: string): Promise<Map<string, string>> {
    const item = await this.store.get(keys.resyncSightings(cluster), { consistent: true });
    const packed = item?.['sightings'];
    if (!(packed instanceof Uint8Array)) return new Map();
    try {
      const pairs: unknown = JSON.parse(gunzipSync(packed).toString('utf8'));
      if (!Array.isArray(pairs)) return new Map();
      return new Map(
        pairs.filter(
          (pair): pair is [string, string] =>
            Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string',
        ),
      );
    } catch {
      return new Map();
    }
  }

  /**
   * Keeps `sightings` for the next run; false when they do not fit one item, and nothing is
   * kept (the caller then sends every difference, as if nothing were held).
   */
  async put(cluster: string, sightings: ReadonlyMap<string, string>): Promise<boolean> {
    const packed = gzipSync(JSON.stringify([...sightings]));
    if (packed.byteLength > MAX_SIGHTINGS_BYTES) {
      await this.store.delete(keys.resyncSightings(cluster));
      return false;
    }
    await this.store.put({ ...keys.resyncSightings(cluster), sightings: packed });
    return true;
  }
}
