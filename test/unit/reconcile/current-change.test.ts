import { describe, expect, it } from 'vitest';
import type { ClusterChangeDetail } from '../../../shared/events/contract.js';
import { currentChange, OUT_OF_DATE_MS } from '../../../shared/reconcile/current-change.js';
import type { ObjectFetcher } from '../../../shared/reconcile/stacks/fetch.js';
import { CLUSTER, changeEvent, memoryState } from './fixtures.js';

/**
 * After lost state, replayed and late events are history: one for an object the mirror has no
 * live record of is checked against the Kubernetes API, so a long-deleted Ingress becomes a
 * tombstone instead of a new load balancer, and a live one its current version.
 */
const NOW = 1_800_000_000_000;
const ingress = { metadata: { namespace: 'shop', name: 'old' }, spec: {} };
const live = {
  metadata: { namespace: 'shop', name: 'old', uid: 'uid-Ingress-old', resourceVersion: '99999' },
  spec: {},
};

function detailOf(observedAt: string, extra: Partial<ClusterChangeDetail> = {}): ClusterChangeDetail {
  const detail = changeEvent('Ingress', ingress, 'create').detail as ClusterChangeDetail;
  return { ...detail, observedAt, ...extra };
}

const recent = new Date(NOW - 60_000).toISOString();
const old = new Date(NOW - OUT_OF_DATE_MS - 60_000).toISOString();

describe('currentChange', () => {
  it.each([
    { name: 'a fresh event: taken as it is', replayed: false, observedAt: recent, api: live, want: 'skip' },
    {
      name: 'replayed, object gone: a delete',
      replayed: true,
      observedAt: recent,
      api: undefined,
      want: 'delete',
    },
    { name: 'late, object gone: a delete', replayed: false, observedAt: old, api: undefined, want: 'delete' },
    {
      name: 'replayed, object live: its current version',
      replayed: true,
      observedAt: recent,
      api: live,
      want: '99999',
    },
    {
      name: 'replayed, mirror holds the object: its ordering decides',
      replayed: true,
      observedAt: recent,
      api: undefined,
      mirrored: true,
      want: 'skip',
    },
    {
      name: 'replayed from resync (a list of the API): taken as it is',
      replayed: true,
      observedAt: recent,
      api: undefined,
      extra: { auditId: 'resync-run-1' },
      want: 'skip',
    },
  ])('$name', async ({ replayed, observedAt, api, mirrored, extra, want }) => {
    const state = memoryState(() => NOW);
    if (mirrored)
      await state.mirror.upsertObject(CLUSTER, 'Ingress', live, { observedAt: recent, auditId: 'a' });
    const fetches: string[] = [];
    const fetchObject: ObjectFetcher = async (_cluster, kind, namespace, name) => {
      fetches.push(`${kind} ${namespace}/${name}`);
      return api;
    };
    const result = await currentChange(
      { state, fetchObject, now: () => NOW },
      replayed ? { 'replay-name': 'r1' } : {},
      detailOf(observedAt, extra),
    );
    const got =
      'skip' in result
        ? 'skip'
        : 'failed' in result
          ? 'failed'
          : result.detail.verb === 'delete'
            ? 'delete'
            : String(
                (result.detail.object?.['metadata'] as { resourceVersion?: string } | undefined)
                  ?.resourceVersion,
              );
    expect(got).toBe(want);
    expect(fetches).toEqual(want === 'skip' ? [] : ['Ingress shop/old']);
  });

  it('a tombstone does not let a replayed update revive an object the API says is gone', async () => {
    const state = memoryState(() => NOW);
    await state.mirror.deleteObject(
      { cluster: CLUSTER, kind: 'Ingress', namespace: 'shop', name: 'old', resourceVersion: '10' },
      { observedAt: recent, auditId: 'a' },
    );
    const result = await currentChange(
      { state, fetchObject: async () => undefined, now: () => NOW },
      { 'replay-name': 'r1' },
      detailOf(recent, { verb: 'update', resourceVersion: '20' }),
    );
    expect('detail' in result && result.detail.verb).toBe('delete');
  });

  it('the API failing is one error naming the object, left to resync', async () => {
    const result = await currentChange(
      {
        state: memoryState(() => NOW),
        fetchObject: async () => {
          throw new Error('503');
        },
        now: () => NOW,
      },
      { 'replay-name': 'r1' },
      detailOf(recent),
    );
    expect(result).toMatchObject({ failed: { field: 'resourceVersion' } });
    expect('failed' in result && result.failed.message).toMatch(
      /Ingress shop\/old: a replayed or late change .*503/,
    );
  });
});
