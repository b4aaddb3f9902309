import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  PatchError,
  twoWayMergePatch,
} from '../../../infra/local/cluster/patch.js';

describe('twoWayMergePatch', () => {
  it('keeps only changed fields, merges conditions by type and sorts keys', () => {
    const before = {
      phase: 'Pending',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'x' },
      ],
      hostIP: '10.0.0.1',
    };
    const after = {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      hostIP: '10.0.0.1',
      podIP: '10.0.0.9',
      podIPs: [{ ip: '10.0.0.9' }],
    };
    const patch = twoWayMergePatch(before, after);
    expect(JSON.stringify(patch)).toBe(
      JSON.stringify({
        $setElementOrder__conditions: 0,
      }).replace(
        '{"$setElementOrder__conditions":0}',
        JSON.stringify({
          '$setElementOrder/conditions': [{ type: 'Initialized' }, { type: 'Ready' }],
          conditions: [{ message: null, reason: null, status: 'True', type: 'Ready' }],
          phase: 'Running',
          podIP: '10.0.0.9',
          podIPs: [{ ip: '10.0.0.9' }],
        }),
      ),
    );
    expect(twoWayMergePatch(after, after)).toEqual({});
    expect(applyStrategicMergePatch(before, patch)).toEqual(after);
  });
});

describe('applying patches', () => {
  const target = { metadata: { name: 'web' }, status: { loadBalancer: { ingress: [{ hostname: 'a' }] } } };
  const cases = [
    {
      name: 'merge replaces lists',
      apply: () => applyMergePatch(target, { status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }),
      want: { ingress: [{ ip: '1.2.3.4' }] },
    },
    {
      name: 'merge null deletes',
      apply: () => applyMergePatch(target, { status: { loadBalancer: null } }),
      want: undefined,
    },
    {
      name: 'json patch replace',
      apply: () =>
        applyJsonPatch(target, [
          { op: 'replace', path: '/status/loadBalancer/ingress/0/hostname', value: 'b' },
        ]),
      want: { ingress: [{ hostname: 'b' }] },
    },
    {
      name: 'json patch add to list end',
      apply: () =>
        applyJsonPatch(target, [
          { op: 'add', path: '/status/loadBalancer/ingress/-', value: { hostname: 'c' } },
        ]),
      want: { ingress: [{ hostname: 'a' }, { hostname: 'c' }] },
    },
    {
      name: 'json patch remove',
      apply: () => applyJsonPatch(target, [{ op: 'remove', path: '/status/loadBalancer' }]),
      want: undefined,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect((c.apply() as typeof target).status.loadBalancer).toEqual(c.want);
      expect(target.status.loadBalancer.ingress).toEqual([{ hostname: 'a' }]); // never mutates
    });

  it('refuses bad JSON patches with a clear error', () => {
    expect(() => applyJsonPatch(target, { op: 'add' })).toThrow(PatchError);
    expect(() => applyJsonPatch(target, [{ op: 'replace', path: '/status/missing/x', value: 1 }])).toThrow(
      '"missing" does not exist',
    );
    expect(() => applyJsonPatch(target, [{ op: 'test', path: '/metadata/name', value: 'api' }])).toThrow(
      'test failed at /metadata/name',
    );
    expect(() => applyJsonPatch(target, [{ op: 'move', path: '/a' }])).toThrow('unsupported op "move"');
  });
});
