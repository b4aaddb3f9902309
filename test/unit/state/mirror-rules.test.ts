import { describe, expect, it } from 'vitest';
import { decide, type Incoming, type MirrorState } from '../../../shared/state/mirror-rules.js';
import { compareResourceVersions, eventOrderKey } from '../../../shared/state/ordering.js';

const t = (s: number) => eventOrderKey(`2025-01-01T00:00:${String(s).padStart(2, '0')}Z`, `a${s}`);
const live = (extra: Partial<MirrorState> = {}): MirrorState => ({
  uid: 'u1',
  resourceVersion: '10',
  order: t(10),
  object: { metadata: { name: 'p' }, status: { phase: 'Running' } },
  deleted: false,
  ...extra,
});

describe('compareResourceVersions', () => {
  it.each([
    { name: 'numeric, not lexical', a: '9', b: '10', want: -1 },
    { name: 'equal', a: '10', b: '10', want: 0 },
    { name: 'larger', a: '100000000000000000001', b: '100000000000000000000', want: 1 },
    { name: 'opaque: incomparable', a: 'abc', b: 'abd', want: undefined },
    { name: 'missing: incomparable', a: undefined, b: '1', want: undefined },
  ])('$name', ({ a, b, want }) => expect(compareResourceVersions(a, b)).toBe(want));
});

describe('eventOrderKey', () => {
  it.each([
    {
      name: 'micro vs milli precision',
      earlier: '2025-01-01T00:00:00.5Z',
      later: '2025-01-01T00:00:00.500001Z',
    },
    { name: 'offset timezone', earlier: '2025-01-01T00:59:00Z', later: '2025-01-01T02:00:00+01:00' },
    {
      name: 'seconds without fraction',
      earlier: '2025-01-01T00:00:00Z',
      later: '2025-01-01T00:00:00.000001Z',
    },
  ])('$name sorts in time order', ({ earlier, later }) => {
    expect(eventOrderKey(earlier, 'z') < eventOrderKey(later, 'a')).toBe(true);
  });
  it('breaks ties with the auditId', () => {
    expect(eventOrderKey('2025-01-01T00:00:00Z', 'a') < eventOrderKey('2025-01-01T00:00:00Z', 'b')).toBe(
      true,
    );
  });
  it('rejects a bad timestamp, naming the field', () => {
    expect(() => eventOrderKey('yesterday', 'x')).toThrow(/observedAt "yesterday"/);
  });
});

describe('decide', () => {
  const cases: {
    name: string;
    existing?: MirrorState;
    incoming: Incoming;
    want: string;
    check?: (next: MirrorState) => void;
  }[] = [
    {
      name: 'create on empty',
      incoming: { type: 'upsert', object: {}, uid: 'u1', resourceVersion: '1', order: t(1) },
      want: 'created',
    },
    {
      name: 'duplicate version',
      existing: live(),
      incoming: { type: 'upsert', object: {}, uid: 'u1', resourceVersion: '10', order: t(11) },
      want: 'duplicate',
    },
    {
      name: 'older version, later delivery',
      existing: live(),
      incoming: { type: 'upsert', object: {}, uid: 'u1', resourceVersion: '9', order: t(20) },
      want: 'stale',
    },
    {
      name: 'opaque versions fall back to time',
      existing: live({ resourceVersion: 'x' }),
      incoming: { type: 'upsert', object: {}, uid: 'u1', resourceVersion: 'y', order: t(20) },
      want: 'updated',
    },
    {
      name: 'delete of same uid',
      existing: live(),
      incoming: { type: 'delete', uid: 'u1', order: t(11) },
      want: 'deleted',
      check: (n) => expect(n.object).toBeUndefined(),
    },
    {
      name: 'late delete of an older uid',
      existing: live({ uid: 'u2', resourceVersion: '30' }),
      incoming: { type: 'delete', uid: 'u1', resourceVersion: '20', order: t(40) },
      want: 'stale',
    },
    {
      name: 'revive with newer uid',
      existing: live({ deleted: true, object: undefined }),
      incoming: { type: 'upsert', object: {}, uid: 'u2', resourceVersion: '11', order: t(12) },
      want: 'revived',
    },
    {
      name: 'patch after tombstone of same uid',
      existing: live({ deleted: true, object: undefined }),
      incoming: { type: 'statusPatch', uid: 'u1', patch: { podIP: '1' }, order: t(20) },
      want: 'deleted',
    },
    {
      name: 'patch merges',
      existing: live(),
      incoming: { type: 'statusPatch', uid: 'u1', patch: { podIP: '10.0.0.1' }, order: t(20) },
      want: 'patched',
      check: (n) => expect(n.object?.['status']).toEqual({ phase: 'Running', podIP: '10.0.0.1' }),
    },
    {
      name: 'patch older than the object',
      existing: live(),
      incoming: { type: 'statusPatch', uid: 'u1', patch: { podIP: '1' }, order: t(5) },
      want: 'stale',
    },
    {
      name: 'the same patch again (a retry) after it merged',
      existing: live({ statusOrder: t(20) }),
      incoming: { type: 'statusPatch', uid: 'u1', patch: { podIP: '1' }, order: t(20) },
      want: 'duplicate',
    },
    {
      name: 'patch that changes nothing',
      existing: live(),
      incoming: { type: 'statusPatch', uid: 'u1', patch: { phase: 'Running' }, order: t(20) },
      want: 'unchanged',
    },
    {
      name: 'patch for another uid is pending',
      existing: live(),
      incoming: { type: 'statusPatch', uid: 'u9', patch: { podIP: '1' }, order: t(20) },
      want: 'pending',
      check: (n) => expect(n.object).toBeDefined(),
    },
    {
      name: 'update keeps a later merged status',
      existing: live({ statusOrder: t(30), object: { status: { podIP: 'new' } } }),
      incoming: {
        type: 'upsert',
        object: { status: { podIP: 'old' }, spec: 1 },
        uid: 'u1',
        resourceVersion: '11',
        order: t(20),
      },
      want: 'updated',
      check: (n) => expect(n.object).toEqual({ status: { podIP: 'new' }, spec: 1 }),
    },
    {
      name: 'create applies its pending patch',
      existing: { order: '', deleted: false, pending: { uid: 'u1', patch: { podIP: 'p' }, order: t(30) } },
      incoming: {
        type: 'upsert',
        object: { status: { phase: 'Pending' } },
        uid: 'u1',
        resourceVersion: '5',
        order: t(20),
      },
      want: 'created',
      check: (n) => {
        expect(n.object).toEqual({ status: { phase: 'Pending', podIP: 'p' } });
        expect(n.pending).toBeUndefined();
      },
    },
  ];
  it.each(cases)('$name', ({ existing, incoming, want, check }) => {
    const decision = decide(existing, incoming);
    expect(decision.write ? decision.outcome : decision.reason).toBe(want);
    if (check !== undefined && decision.write) check(decision.next);
  });

  it('pending patches merge in time order whatever the arrival order', () => {
    const early: Incoming = {
      type: 'statusPatch',
      uid: 'u1',
      patch: { conditions: [{ type: 'Ready', status: 'False' }], podIP: 'a' },
      order: t(1),
    };
    const late: Incoming = {
      type: 'statusPatch',
      uid: 'u1',
      patch: { conditions: [{ type: 'Ready', status: 'True' }] },
      order: t(2),
    };
    const apply = (first: Incoming, second: Incoming) => {
      const one = decide(undefined, first);
      if (!one.write) throw new Error('expected a write');
      const two = decide(one.next, second);
      if (!two.write) throw new Error('expected a write');
      return two.next.pending;
    };
    expect(apply(early, late)).toEqual(apply(late, early));
    expect(apply(late, early)?.patch).toEqual({
      conditions: [{ type: 'Ready', status: 'True' }],
      podIP: 'a',
    });
  });
});
