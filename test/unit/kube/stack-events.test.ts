import { describe, expect, it } from 'vitest';
import type { StackBuild } from '../../../shared/model/stack.js';
import { emptyResources } from '../../../shared/model/stack.js';
import { modelEvents, passMembers, successEvents } from '../../../shared/reconcile/stacks/kube-events.js';

const web = { kind: 'Ingress' as const, namespace: 'default', name: 'web' };
const bad = { kind: 'Ingress' as const, namespace: 'default', name: 'bad' };
const LISTEN = 'metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]';

function build(options: { memberError?: boolean; stackError?: boolean }): StackBuild {
  return {
    stack: { members: [web], resources: emptyResources() } as unknown as StackBuild['stack'],
    memberErrors: options.memberError
      ? [{ ...bad, field: LISTEN, message: 'Ingress default/bad: not JSON' }]
      : [],
    stackErrors: options.stackError ? [{ field: 'subnets', message: 'no subnets found' }] : [],
  };
}

describe('stack pass events', () => {
  it('a member in error: a Warning on it naming the field, Normal on the healthy member only', () => {
    const pass = build({ memberError: true });
    expect(passMembers(pass)).toEqual([web, bad]);
    expect(modelEvents(pass)).toEqual([
      {
        type: 'Warning',
        reason: 'FailedBuildModel',
        message: `${LISTEN}: Ingress default/bad: not JSON`,
        regarding: bad,
      },
    ]);
    expect(successEvents(pass)).toEqual([
      {
        type: 'Normal',
        reason: 'SuccessfullyReconciled',
        message: 'Successfully reconciled',
        regarding: web,
      },
    ]);
  });

  it('a stack error: a Warning on every member and no Normal event', () => {
    const pass = build({ memberError: true, stackError: true });
    expect(
      modelEvents(pass).map((event) => `${event.type} ${event.regarding.name} ${event.message}`),
    ).toEqual([
      `Warning bad ${LISTEN}: Ingress default/bad: not JSON`,
      'Warning web subnets: no subnets found',
      'Warning bad subnets: no subnets found',
    ]);
    expect(successEvents(pass)).toEqual([]);
  });

  it("'no member could be modelled' adds no Warning beside the members' own errors", () => {
    const pass = build({ memberError: true });
    pass.stackErrors.push({
      field: 'members',
      message: 'no member of Ingress group default/bad could be modelled',
    });
    expect(modelEvents(pass).map((event) => `${event.regarding.name} ${event.message}`)).toEqual([
      `bad ${LISTEN}: Ingress default/bad: not JSON`,
    ]);
    expect(successEvents(pass)).toEqual([]);
  });

  it('no error: no Warning, a Normal event per member', () => {
    expect(modelEvents(build({}))).toEqual([]);
    expect(successEvents(build({})).map((event) => event.regarding)).toEqual([web]);
  });
});
