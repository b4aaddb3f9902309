import { describe, expect, it } from 'vitest';
import type { ClusterChangeDetail } from '../../../../shared/events/contract.js';
import { fetchChange, type ObjectFetcher } from '../../../../shared/reconcile/stacks/fetch.js';

const detail = {
  version: 1,
  cluster: 'demo',
  kind: 'Ingress',
  namespace: 'default',
  name: 'huge',
  verb: 'update',
  observedAt: '2027-01-15T08:00:00.000000Z',
  auditId: 'a-1',
  logEventId: 'l-1',
  needsResync: true,
} as ClusterChangeDetail;

const ingress = (blob: number) => ({
  metadata: { name: 'huge', namespace: 'default', annotations: { 'example.com/blob': 'x'.repeat(blob) } },
});
const returns =
  (object: Record<string, unknown> | undefined): ObjectFetcher =>
  async () =>
    object;

describe('fetchChange: a needsResync change', () => {
  it('comes back with its object, needsResync gone', async () => {
    const fetched = await fetchChange(returns(ingress(10)), detail);
    expect('detail' in fetched && fetched.detail).toMatchObject({ verb: 'update', object: ingress(10) });
    expect('detail' in fetched && fetched.detail.needsResync).toBeUndefined();
  });

  it('is a delete when the object no longer exists', async () => {
    const fetched = await fetchChange(returns(undefined), detail);
    expect('detail' in fetched && fetched.detail.verb).toBe('delete');
  });

  it.each([
    { name: 'no fetcher wired', fetcher: undefined, field: 'needsResync', says: /no Kubernetes API/ },
    {
      name: 'the fetch fails',
      fetcher: (async () => {
        throw new Error('answered 503');
      }) as ObjectFetcher,
      field: 'needsResync',
      says: /fetching it failed: answered 503/,
    },
    {
      name: 'the object is over the mirror limit',
      fetcher: returns(ingress(2 * 1024 * 1024)),
      field: 'metadata.annotations["example.com/blob"]',
      says: /Ingress default\/huge is \d+ bytes, over slbc's/,
    },
  ])('fails, named, when $name', async ({ fetcher, field, says }) => {
    const fetched = await fetchChange(fetcher, detail);
    expect('failed' in fetched && fetched.failed.field).toBe(field);
    expect('failed' in fetched && fetched.failed.message).toMatch(says);
  });

  it('leaves a change with its object alone', async () => {
    expect(await fetchChange(returns(undefined), { ...detail, needsResync: undefined })).toEqual({
      skip: true,
    });
  });
});
