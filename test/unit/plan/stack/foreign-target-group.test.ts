import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES, ref } from '../../../../shared/model/stack.js';
import { TAG_KEYS } from '../../../../shared/model/tags.js';
import { planStack } from '../../../../shared/plan/stack.js';
import { deployedActual, desiredStack, STACK_TAGS, VPC } from '../stack-fixture.js';

/**
 * docs/security.md: a target group outside the stack (an `actions.*` forward naming its ARN) is
 * forwarded to, never modified, bound or deleted, whatever tags it carries.
 */
const FOREIGN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/theirs/0123456789abcdef';

function withForeignForward() {
  const stack = desiredStack();
  stack.resources[RESOURCE_TYPES.listenerRule]['80:2'] = {
    spec: {
      listenerARN: ref(RESOURCE_TYPES.listener, '80', 'listenerARN'),
      priority: 2,
      actions: [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: FOREIGN }] } }],
      conditions: [{ field: 'path-pattern', pathPatternConfig: { values: ['/theirs'] } }],
      tags: { ...STACK_TAGS, [TAG_KEYS.ingressResource]: '80:2' },
    },
    source: { kind: 'Ingress', namespace: 'shop', name: 'front' },
  };
  return stack;
}

describe('a forward to a target group outside the stack', () => {
  const cases: { name: string; tags: Record<string, string> }[] = [
    { name: 'untagged', tags: {} },
    {
      name: 'tagged for another cluster',
      tags: { [TAG_KEYS.cluster]: 'other', [TAG_KEYS.ingressStack]: 'shop' },
    },
    {
      name: 'tagged for this cluster, another stack',
      tags: { [TAG_KEYS.cluster]: 'demo', [TAG_KEYS.ingressStack]: 'other' },
    },
  ];

  it.each(cases)('$name: the rule forwards to it, and no other change names it', ({ tags }) => {
    const actual = deployedActual(desiredStack());
    const [own] = actual.targetGroups;
    // even if a reader handed it over, with different settings than the stack's own group
    actual.targetGroups.push({ ...structuredClone(own!), arn: FOREIGN, name: 'theirs', port: 9999, tags });
    const plan = planStack({ stack: withForeignForward() }, actual, { vpcId: VPC });
    const naming = plan.changes.filter((change) => JSON.stringify(change).includes(FOREIGN));
    expect(naming.map((change) => change.op)).toEqual(['createRule']);
    expect(Object.values(plan.targetGroups)).not.toContain(FOREIGN);
    expect(plan.errors).toEqual([]);
  });
});
