import { describe, expect, it } from 'vitest';
import type { Action, ListenerSpec, Stack } from '../../../../shared/model/stack.js';
import { RESOURCE_TYPES, ref } from '../../../../shared/model/stack.js';
import {
  listenerChangesInOrder,
  type PlannedListener,
  planListeners,
} from '../../../../shared/plan/stack/listeners.js';
import { planStack } from '../../../../shared/plan/stack.js';
import type { ActualListener } from '../../../../shared/plan/stack-actual.js';
import { deployedActual, desiredStack, VPC } from '../stack-fixture.js';

const LB_REF = ref(RESOURCE_TYPES.loadBalancer, 'LoadBalancer', 'loadBalancerARN');
const NOT_FOUND: Action[] = [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }];
const redirectTo = (port: string): Action[] => [
  { type: 'redirect', redirectConfig: { port, protocol: 'HTTPS', statusCode: 'HTTP_301' } },
];
const spec = (port: number, defaultActions: Action[], extra: Partial<ListenerSpec> = {}): ListenerSpec => ({
  loadBalancerARN: LB_REF,
  port,
  protocol: port === 443 ? 'HTTPS' : 'HTTP',
  defaultActions,
  tags: {},
  ...extra,
});
const created = (port: number, defaultActions: Action[]): PlannedListener => ({
  id: String(port),
  port,
  change: { op: 'createListener', id: String(port), spec: spec(port, defaultActions) },
});
const modified = (port: number, defaultActions: Action[]): PlannedListener => ({
  id: String(port),
  port,
  change: {
    op: 'modifyListener',
    id: String(port),
    arn: `arn:listener/${port}`,
    spec: spec(port, defaultActions),
  },
});
const unchanged = (port: number): PlannedListener => ({ id: String(port), port });
const label = (change: { op: string; id?: string }) => `${change.op} ${change.id}`;

describe('listenerChangesInOrder', () => {
  const cases: { name: string; listeners: PlannedListener[]; expected: string[] }[] = [
    {
      name: 'no redirect: port order',
      listeners: [modified(80, NOT_FOUND), created(443, NOT_FOUND), created(8080, NOT_FOUND)],
      expected: ['modifyListener 80', 'createListener 443', 'createListener 8080'],
    },
    {
      name: 'HTTP:80 turned into a redirect to a new HTTPS:443: the 443 listener first',
      listeners: [modified(80, redirectTo('443')), created(443, NOT_FOUND)],
      expected: ['createListener 443', 'modifyListener 80'],
    },
    {
      name: 'both new: the listener redirected to is created first',
      listeners: [created(80, redirectTo('443')), created(443, NOT_FOUND)],
      expected: ['createListener 443', 'createListener 80'],
    },
    {
      name: 'redirect to the same port (#{port}) is not a dependency',
      listeners: [modified(80, redirectTo('#{port}')), created(443, NOT_FOUND)],
      expected: ['modifyListener 80', 'createListener 443'],
    },
    {
      name: 'redirect to a port outside the stack (another host) is not a dependency',
      listeners: [modified(80, redirectTo('8443')), created(443, NOT_FOUND)],
      expected: ['modifyListener 80', 'createListener 443'],
    },
    {
      name: 'the redirected-to listener unchanged: only the redirect is planned',
      listeners: [modified(80, redirectTo('443')), unchanged(443), created(8080, NOT_FOUND)],
      expected: ['createListener 8080', 'modifyListener 80'],
    },
  ];
  it.each(cases)('$name', ({ listeners, expected }) => {
    expect(
      listenerChangesInOrder(listeners).map((change) => label(change as { op: string; id?: string })),
    ).toEqual(expected);
  });
});

describe('planStack: ssl-redirect added to a deployed HTTP:80 (a failed create must leave HTTP:80 serving)', () => {
  function sslRedirect(stack: Stack) {
    const listeners = stack.resources[RESOURCE_TYPES.listener];
    listeners['443'] = { spec: spec(443, NOT_FOUND, { certificates: [{ certificateARN: 'arn:cert/bad' }] }) };
    listeners['80']!.spec.defaultActions = redirectTo('443');
  }

  it('creates HTTPS:443 before HTTP:80 redirects to it, and before any rule change', () => {
    const actual = deployedActual(desiredStack());
    const desired = desiredStack();
    sslRedirect(desired);
    const ops = planStack({ stack: desired }, actual, { vpcId: VPC }).changes.map((change) =>
      'id' in change ? `${change.op} ${change.id}` : change.op,
    );
    expect(ops.slice(0, 2)).toEqual(['createListener 443', 'modifyListener 80']);
  });

  it('a pass stopped at the failed create (as the apply stops) has not touched HTTP:80', () => {
    const actual = deployedActual(desiredStack());
    const desired = desiredStack();
    sslRedirect(desired);
    const changes = planStack({ stack: desired }, actual, { vpcId: VPC }).changes;
    const failing = changes.findIndex((change) => change.op === 'createListener');
    const appliedBeforeFailure = changes.slice(0, failing);
    expect(failing).toBeGreaterThanOrEqual(0);
    expect(appliedBeforeFailure.filter((change) => change.op === 'modifyListener')).toEqual([]);
  });
});

describe('planListeners: what makes a listener change', () => {
  const existing: ActualListener = {
    arn: 'arn:listener/443',
    loadBalancerArn: 'arn:lb/1',
    port: 443,
    protocol: 'HTTPS',
    defaultActions: NOT_FOUND,
    certificates: ['arn:cert/1', 'arn:cert/2'],
    sslPolicy: 'policy-a',
  };
  const base = { certificates: [{ certificateARN: 'arn:cert/1' }], sslPolicy: 'policy-a' };
  const cases: { name: string; spec: ListenerSpec; expected: string[] }[] = [
    { name: 'same: nothing', spec: spec(443, NOT_FOUND, base), expected: [] },
    {
      name: 'only the default certificate counts (others are not the listener’s to compare)',
      spec: spec(443, NOT_FOUND, { ...base, certificates: [{ certificateARN: 'arn:cert/1' }] }),
      expected: [],
    },
    {
      name: 'default certificate changed',
      spec: spec(443, NOT_FOUND, { ...base, certificates: [{ certificateARN: 'arn:cert/3' }] }),
      expected: ['modifyListener'],
    },
    {
      name: 'SSL policy changed',
      spec: spec(443, NOT_FOUND, { ...base, sslPolicy: 'policy-b' }),
      expected: ['modifyListener'],
    },
    {
      name: 'SSL policy unset in the model: AWS’s is left',
      spec: spec(443, NOT_FOUND, { certificates: base.certificates }),
      expected: [],
    },
    {
      name: 'protocol changed',
      spec: spec(443, NOT_FOUND, { ...base, protocol: 'HTTP' }),
      expected: ['modifyListener'],
    },
    {
      name: 'default action changed',
      spec: spec(443, redirectTo('8443'), base),
      expected: ['modifyListener'],
    },
  ];
  it.each(cases)('$name', ({ spec: listener, expected }) => {
    const plan = planListeners({ '443': { spec: listener } }, [existing], new Map(), new Map());
    expect(plan.listeners.flatMap((l) => (l.change ? [l.change.op] : []))).toEqual(expected);
    expect([...plan.kept]).toEqual(['arn:listener/443']);
  });

  it('a port with no actual listener is created, its Ref left for the apply', () => {
    const plan = planListeners({ '80': { spec: spec(80, NOT_FOUND) } }, [existing], new Map(), new Map());
    expect(plan.listeners.map((l) => l.change?.op)).toEqual(['createListener']);
    expect(plan.known).toEqual([]);
    expect(plan.kept.size).toBe(0);
  });
});
