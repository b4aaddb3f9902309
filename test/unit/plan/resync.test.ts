import { describe, expect, it } from 'vitest';
import type { AnyObject } from '../../../shared/k8s/objects.js';
import {
  holdFirstSightings,
  planResync,
  type ResyncChange,
  sightingKey,
} from '../../../shared/plan/resync.js';

const service = (name: string, extra: Record<string, unknown> = {}, version = '10') =>
  ({
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: version, ...extra },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  }) as AnyObject;

const cases: {
  name: string;
  listed: Record<string, unknown>[];
  mirrored: AnyObject[];
  complete: boolean;
  expected: { op: string; name: string; reason?: string }[];
  invalid?: number;
}[] = [
  {
    name: 'an object the mirror lacks is sent as missing',
    listed: [service('web')],
    mirrored: [],
    complete: true,
    expected: [{ op: 'upsert', name: 'web', reason: 'missing' }],
  },
  {
    name: 'a newer resourceVersion with the same content sends nothing',
    listed: [service('web', {}, '99')],
    mirrored: [service('web', {}, '10')],
    complete: true,
    expected: [],
  },
  {
    name: 'changed content is sent as changed',
    listed: [service('web', { labels: { tier: 'front' } }, '11')],
    mirrored: [service('web')],
    complete: true,
    expected: [{ op: 'upsert', name: 'web', reason: 'changed' }],
  },
  {
    name: 'a new uid under the same name is a change',
    listed: [service('web', { uid: 'uid-other' })],
    mirrored: [service('web')],
    complete: true,
    expected: [{ op: 'upsert', name: 'web', reason: 'changed' }],
  },
  {
    name: 'a complete list deletes what it no longer contains',
    listed: [service('web')],
    mirrored: [service('web'), service('gone')],
    complete: true,
    expected: [{ op: 'delete', name: 'gone' }],
  },
  {
    name: 'an incomplete list never deletes',
    listed: [],
    mirrored: [service('web')],
    complete: false,
    expected: [],
  },
  {
    name: 'an item that fails its schema is reported, not sent',
    listed: [{ metadata: { namespace: 'default' }, spec: {} }, service('web')],
    mirrored: [service('web')],
    complete: true,
    expected: [],
    invalid: 1,
  },
];

describe('planResync', () => {
  it.each(cases)('$name', ({ listed, mirrored, complete, expected, invalid }) => {
    const plan = planResync({ kind: 'Service', listed, mirrored, complete });
    expect(
      plan.changes.map((change) => ({
        op: change.op,
        name: change.object.metadata.name,
        ...(change.op === 'upsert' ? { reason: change.reason } : {}),
      })),
    ).toEqual(expected);
    expect(plan.invalid).toHaveLength(invalid ?? 0);
  });

  it('names the object and the field of an invalid item', () => {
    const plan = planResync({
      kind: 'Service',
      listed: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 'eighty' }] } }],
      mirrored: [],
      complete: true,
    });
    expect(plan.invalid[0]?.name).toBe('Service shop/web');
    expect(plan.invalid[0]?.message).toMatch(/^field spec\.ports\.0\.port: /);
  });

  it('keys cluster-scoped kinds without a namespace', () => {
    const node = {
      metadata: { name: 'ip-10-0-1-1', uid: 'n1' },
      spec: { providerID: 'aws:///eu-west-1a/i-1' },
    };
    const plan = planResync({ kind: 'Node', listed: [node], mirrored: [node as AnyObject], complete: true });
    expect(plan.changes).toEqual([]);
  });
});

describe('holdFirstSightings: a scheduled resync sends a difference on its second sighting', () => {
  // a change of `web` whose mirror copy is at `mirroredVersion`
  const changed = (mirroredVersion: string): ResyncChange => ({
    op: 'upsert',
    kind: 'Service',
    object: service('web', {}, '20'),
    reason: 'changed',
    mirroredVersion,
  });
  const missing: ResyncChange = {
    op: 'upsert',
    kind: 'Service',
    object: service('api'),
    reason: 'missing',
    mirroredVersion: '',
  };
  const deleted: ResyncChange = {
    op: 'delete',
    kind: 'Service',
    object: service('old'),
    mirroredVersion: '7',
  };

  it.each([
    {
      name: 'a first sighting is held and remembered with the mirror version',
      changes: [changed('10')],
      previous: [],
      send: [],
      kept: [['Service default/web upsert', '10']],
    },
    {
      name: 'seen before with the mirror unmoved: sent, and kept in case it stays',
      changes: [changed('10')],
      previous: [['Service default/web upsert', '10']],
      send: ['Service default/web upsert'],
      kept: [['Service default/web upsert', '10']],
    },
    {
      name: 'the mirror moved since (events are arriving): held again at the new version',
      changes: [changed('15')],
      previous: [['Service default/web upsert', '10']],
      send: [],
      kept: [['Service default/web upsert', '15']],
    },
    {
      name: 'a missing object seen twice is sent; a delete seen twice is sent',
      changes: [missing, deleted],
      previous: [
        ['Service default/api upsert', ''],
        ['Service default/old delete', '7'],
      ],
      send: ['Service default/api upsert', 'Service default/old delete'],
      kept: [
        ['Service default/api upsert', ''],
        ['Service default/old delete', '7'],
      ],
    },
    {
      name: 'a sighting the mirror caught up with is not kept',
      changes: [],
      previous: [['Service default/web upsert', '10']],
      send: [],
      kept: [],
    },
    {
      name: 'an upsert seen before as a delete is a first sighting',
      changes: [missing],
      previous: [['Service default/api delete', '']],
      send: [],
      kept: [['Service default/api upsert', '']],
    },
  ] as {
    name: string;
    changes: ResyncChange[];
    previous: [string, string][];
    send: string[];
    kept: [string, string][];
  }[])('$name', ({ changes, previous, send, kept }) => {
    const result = holdFirstSightings(changes, new Map(previous));
    expect(result.send.map(sightingKey)).toEqual(send);
    expect([...result.sightings]).toEqual(kept);
  });
});
