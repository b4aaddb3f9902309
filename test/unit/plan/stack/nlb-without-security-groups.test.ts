import { describe, expect, it } from 'vitest';
import type { Service } from '../../../../shared/k8s/objects.js';
import type { ExistingLoadBalancer } from '../../../../shared/model/inputs.js';
import { buildServiceStack } from '../../../../shared/model/service/build.js';
import { RESOURCE_TYPES } from '../../../../shared/model/stack.js';
import { planStack } from '../../../../shared/plan/stack.js';
import type { ActualStack } from '../../../../shared/plan/stack-actual.js';
import { environment } from '../../model/helpers.js';
import { deployedActual } from '../stack-fixture.js';

/**
 * Issue 14: an NLB the LBC made without security groups (before v2.6, or NLBSecurityGroup off).
 * AWS refuses SetSecurityGroups on it, so the LBC keeps it without groups
 * (pkg/service/model_build_load_balancer.go: an existing LB with none gets none) and so must slbc:
 * no SetSecurityGroups, no managed group, and the listeners still planned.
 */
const SG_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-security-groups';

const service = (annotations: Record<string, string> = {}): Service => ({
  metadata: {
    namespace: 'shop',
    name: 'edge',
    uid: 'uid-1',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', ...annotations },
  },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'edge' },
    ports: [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
});

/** What the LBC left: the NLB (with `groups`) and its target group, no listener yet, no managed group. */
function lbcNlb(groups: string[]): ActualStack {
  const { stack } = buildServiceStack({
    env: environment(),
    id: { namespace: 'shop', name: 'edge' },
    service: service(),
  });
  const actual = deployedActual(stack);
  actual.securityGroups = [];
  actual.listeners = [];
  for (const lb of actual.loadBalancers) lb.securityGroups = groups;
  return actual;
}

function plan(
  actual: ActualStack,
  annotations: Record<string, string> = {},
  known?: Partial<ExistingLoadBalancer>,
) {
  const lb = actual.loadBalancers[0]!;
  const existing = {
    scheme: lb.scheme,
    subnetIds: lb.subnetIds,
    securityGroups: lb.securityGroups,
    ...known,
  };
  const build = buildServiceStack({
    env: environment({ existingLoadBalancer: existing }),
    id: { namespace: 'shop', name: 'edge' },
    service: service(annotations),
  });
  const result = planStack(build, actual, { vpcId: 'vpc-dummy' });
  return { build, plan: result, ops: result.changes.map((change) => change.op) };
}

describe('adopting an NLB created without security groups', () => {
  const cases: {
    name: string;
    groups: string[];
    annotations?: Record<string, string>;
    /** what the model is told about the existing NLB's groups (absent: not read) */
    known?: Partial<ExistingLoadBalancer>;
    setsGroups: boolean;
    createsGroup: boolean;
    planError?: RegExp;
  }[] = [
    {
      name: 'no groups: kept as it is, listener created',
      groups: [],
      setsGroups: false,
      createsGroup: false,
    },
    {
      name: 'no groups, the model not told: the plan still refuses to add them, and says so',
      groups: [],
      known: { securityGroups: undefined },
      setsGroups: false,
      createsGroup: true,
      planError: /network load balancer .* was created without security groups and AWS cannot add any/,
    },
    {
      name: 'with a foreign group (not the managed one): replaced by the managed group',
      groups: ['sg-theirs'],
      setsGroups: true,
      createsGroup: true,
    },
  ];

  it.each(cases)('$name', ({ groups, annotations, known, setsGroups, createsGroup, planError }) => {
    const { build, plan: result, ops } = plan(lbcNlb(groups), annotations, known);
    expect(build.memberErrors).toEqual([]);
    expect(ops.includes('setSecurityGroups')).toBe(setsGroups);
    expect(ops.includes('createSecurityGroup')).toBe(createsGroup);
    expect(ops.filter((op) => op === 'createListener')).toEqual(['createListener']);
    expect(ops).not.toContain('createLoadBalancer');
    if (planError)
      expect(result.errors).toEqual([{ field: 'securityGroups', message: expect.stringMatching(planError) }]);
    else expect(result.errors).toEqual([]);
  });

  it('the model keeps no security group and no backend rule source for it', () => {
    const { build } = plan(lbcNlb([]));
    const lb = build.stack.resources[RESOURCE_TYPES.loadBalancer]['LoadBalancer'];
    expect(lb?.spec.securityGroups).toEqual([]);
    expect(build.stack.resources[RESOURCE_TYPES.securityGroup]).toEqual({});
    const [targetGroup] = Object.values(build.stack.resources[RESOURCE_TYPES.targetGroup]);
    expect(targetGroup?.binding?.networking).toBeUndefined();
  });

  it('asking for security groups on it is refused naming the annotation, not ignored', () => {
    const { build, ops } = plan(lbcNlb([]), { [SG_ANNOTATION]: 'sg-0abc' });
    expect(build.memberErrors).toEqual([
      expect.objectContaining({
        kind: 'Service',
        namespace: 'shop',
        name: 'edge',
        field: `metadata.annotations["${SG_ANNOTATION}"]`,
        message: expect.stringContaining('created without security groups and AWS cannot add any'),
      }),
    ]);
    expect(ops).toEqual([]);
  });
});
