import { describe, expect, it } from 'vitest';
import {
  type DescribedChange,
  describeChange,
  diffFields,
  type PlanReport,
  planExitCode,
  renderPlanText,
} from '../../../infra/cli/plan-render.js';
import type { HealthCheckConfig } from '../../../shared/model/stack.js';
import { type ActualStack, emptyActual } from '../../../shared/plan/stack-actual.js';
import type { Change } from '../../../shared/plan/stack-changes.js';

const TG_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/k8s-demo-shop-1a2b3c4d5e/0123';
const LB_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/k8s-demo-52a5095c5d/4567';

const HEALTH: HealthCheckConfig = {
  port: 'traffic-port',
  protocol: 'HTTP',
  path: '/',
  matcher: { httpCode: '200' },
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
};

/** the demo's ALB with one target group, as the local endpoint would describe it */
function actualDemo(): ActualStack {
  return {
    ...emptyActual(),
    loadBalancers: [
      {
        arn: LB_ARN,
        name: 'k8s-demo-52a5095c5d',
        type: 'application',
        scheme: 'internal',
        ipAddressType: 'ipv4',
        dnsName: 'internal-k8s-demo.example',
        subnetIds: ['subnet-a', 'subnet-b'],
        securityGroups: ['sg-1'],
        attributes: { 'idle_timeout.timeout_seconds': '60' },
        tags: {},
      },
    ],
    targetGroups: [
      {
        arn: TG_ARN,
        name: 'k8s-demo-shop-1a2b3c4d5e',
        targetType: 'ip',
        protocol: 'HTTP',
        port: 8080,
        vpcId: 'vpc-1',
        ipAddressType: 'ipv4',
        healthCheck: HEALTH,
        attributes: {},
        tags: {},
      },
    ],
  };
}

describe('describeChange', () => {
  const cases: { name: string; change: Change; expected: Partial<DescribedChange> }[] = [
    {
      name: 'a health check path edit names the one field, from and to',
      change: {
        op: 'modifyTargetGroup',
        id: 'demo/shop-shop:80',
        arn: TG_ARN,
        healthCheck: { ...HEALTH, path: '/healthz' },
      },
      expected: {
        action: 'modify',
        resource: 'TargetGroup k8s-demo-shop-1a2b3c4d5e',
        fields: [{ field: 'healthCheck.path', from: '/', to: '/healthz' }],
      },
    },
    {
      name: 'an attribute edit names the attribute key',
      change: {
        op: 'modifyLoadBalancerAttributes',
        arn: LB_ARN,
        attributes: [
          { key: 'idle_timeout.timeout_seconds', value: '120' },
          { key: 'routing.http2.enabled', value: 'true' },
        ],
      },
      expected: {
        action: 'modify',
        resource: 'LoadBalancer k8s-demo-52a5095c5d',
        fields: [
          { field: 'attributes.idle_timeout.timeout_seconds', from: '60', to: '120' },
          { field: 'attributes.routing.http2.enabled', to: 'true' },
        ],
      },
    },
    {
      name: 'subnets show what AWS has and what the model wants',
      change: { op: 'setSubnets', arn: LB_ARN, subnetIds: ['subnet-a', 'subnet-c'] },
      expected: {
        action: 'modify',
        fields: [{ field: 'subnetIds', from: ['subnet-a', 'subnet-b'], to: ['subnet-a', 'subnet-c'] }],
      },
    },
    {
      name: 'a rule delete says no path produces it',
      change: { op: 'deleteRule', arn: 'arn:rule/1', priority: 3 },
      expected: {
        action: 'delete',
        resource: 'Rule priority 3',
        reason: 'no Ingress path produces this rule any more',
      },
    },
    {
      name: 'a target group delete names the group',
      change: { op: 'deleteTargetGroup', arn: TG_ARN, name: 'k8s-demo-shop-1a2b3c4d5e' },
      expected: { action: 'delete', resource: 'TargetGroup k8s-demo-shop-1a2b3c4d5e' },
    },
    {
      name: 'an op the renderer has no case for still lists its fields',
      change: { op: 'associateWebAcl', arn: LB_ARN, webAclArn: 'arn:waf' } as unknown as Change,
      expected: {
        action: 'modify',
        resource: LB_ARN,
        fields: [
          { field: 'arn', to: LB_ARN },
          { field: 'webAclArn', to: 'arn:waf' },
        ],
      },
    },
  ];
  it.each(cases)('$name', ({ change, expected }) => {
    expect(describeChange(change, actualDemo())).toMatchObject({ op: change.op, change, ...expected });
  });
});

describe('diffFields', () => {
  it.each([
    ['equal values', { a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x' } }, []],
    ['a nested leaf', { b: { c: 'y' } }, { b: { c: 'x' } }, [{ field: 'b.c', from: 'x', to: 'y' }]],
    ['arrays whole', { l: [1, 2] }, { l: [2, 1] }, [{ field: 'l', from: [2, 1], to: [1, 2] }]],
    ['absent in AWS', { n: 5 }, {}, [{ field: 'n', to: 5 }]],
  ])('%s', (_name, desired, actual, expected) => {
    expect(diffFields(desired, actual)).toEqual(expected);
  });
});

function report(changes: DescribedChange[], memberErrors = 0): PlanReport {
  return {
    cluster: 'demo',
    source: 'manifests demo.yaml (1 file)',
    stacks: [
      {
        stack: 'ingress/demo',
        key: 'stack#demo#ingress/demo',
        changes,
        stackErrors: [],
        memberErrors: Array.from({ length: memberErrors }, () => ({
          kind: 'Ingress' as const,
          namespace: 'demo',
          name: 'shop',
          field: 'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
          message: 'unknown scheme "public"',
        })),
        planErrors: [],
        waiting: [],
      },
      {
        stack: 'service/demo/echo',
        key: 'stack#demo#service/demo/echo',
        changes: [],
        stackErrors: [],
        memberErrors: [],
        planErrors: [],
        waiting: [],
      },
    ],
    changes: changes.length,
    errors: memberErrors > 0 ? 1 : 0,
  };
}

describe('renderPlanText and the exit code', () => {
  const modify = describeChange(
    {
      op: 'modifyTargetGroup',
      id: 'demo/shop-shop:80',
      arn: TG_ARN,
      healthCheck: { ...HEALTH, path: '/healthz' },
    },
    actualDemo(),
  );

  it('no changes: every stack says so, exit 0', () => {
    const lines = renderPlanText(report([]));
    expect(lines).toContain('stack ingress/demo: no changes');
    expect(lines).toContain('stack service/demo/echo: no changes');
    expect(lines.at(-1)).toBe('No changes: AWS matches the cluster in 2 stacks.');
    expect(planExitCode(report([]))).toBe(0);
  });

  it('a change: symbol, op, resource, the field from -> to and why; exit 2', () => {
    const lines = renderPlanText(report([modify]));
    expect(lines).toEqual(
      expect.arrayContaining([
        'stack ingress/demo: 1 change',
        '  ~ modifyTargetGroup TargetGroup k8s-demo-shop-1a2b3c4d5e',
        '      healthCheck.path: "/" -> "/healthz"',
        '      why: the health check differs',
        'Plan: 1 change in 1 of 2 stacks.',
      ]),
    );
    expect(planExitCode(report([modify]))).toBe(2);
  });

  it('a model error is shown with its field and exits 2 even without changes', () => {
    const lines = renderPlanText(report([], 1));
    expect(lines).toContain(
      '  ! Ingress demo/shop: metadata.annotations["alb.ingress.kubernetes.io/scheme"]: unknown scheme "public"',
    );
    expect(lines.at(-1)).toBe('1 stack with errors (marked !).');
    expect(planExitCode(report([], 1))).toBe(2);
  });

  it('JSON carries the same fields the text shows', () => {
    const parsed = JSON.parse(JSON.stringify(report([modify]))) as PlanReport;
    expect(parsed.stacks[0]?.changes[0]).toMatchObject({
      op: 'modifyTargetGroup',
      action: 'modify',
      fields: [{ field: 'healthCheck.path', from: '/', to: '/healthz' }],
      reason: 'the health check differs',
    });
  });
});
