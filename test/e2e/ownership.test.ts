import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/runtime/index.js';
import type { Report } from '../../infra/local/scenario/index.js';
import { openState } from '../../shared/state/index.js';
import { E2E_TIMEOUT_MS, mutating, notConverged, runNamed } from './helpers.js';

/**
 * Issue 12, end to end: slbc never touches what is not its own. A foreign ALB and NLB named by
 * `load-balancer-name` stay as their owner made them, a second namespace or a newer Ingress
 * cannot take a routed host and path, and a deleted IngressClass keeps the ALB.
 */

const LB_NAME_INGRESS = 'metadata.annotations["alb.ingress.kubernetes.io/load-balancer-name"]';
const LB_NAME_SERVICE = 'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-name"]';
/** ELBv2 writes that would change a load balancer, its listeners or rules */
const LB_WRITES =
  /^(CreateListener|CreateRule|Modify(LoadBalancer|Listener|Rule)|Set(SecurityGroups|Subnets|IpAddressType|RulePriorities)|AddTags|RemoveTags|Delete(LoadBalancer|Listener|Rule))/;

/** the errors recorded at this moment (the report holds only the last ones) */
async function recordedErrors(system: LocalSystem) {
  const dynamodb = new DynamoDBClient({ endpoint: system.aws.url, region: system.aws.region });
  try {
    const state = openState(dynamodb, system.wiring.tableName, { now: () => system.aws.clock.now() });
    const errors = await state.errors.list(system.clusterName);
    return errors.map(({ kind, namespace, name, field, message }) => ({
      kind,
      namespace,
      name,
      field,
      message,
    }));
  } finally {
    dynamodb.destroy();
  }
}

/** the load balancer ARN an `aws` CreateLoadBalancer step answered */
function createdArn(step: Report['steps'][number] | undefined): string {
  const output = step?.aws?.output as { LoadBalancers?: { LoadBalancerArn?: string }[] } | undefined;
  return output?.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
}

/** the target group (its name, in the report) a rule's first action forwards to */
const forwardsTo = (rule: { actions: unknown[] }) =>
  (rule.actions[0] as { TargetGroupArn?: string } | undefined)?.TargetGroupArn;

const lbWrites = (counts: Record<string, number>) =>
  Object.keys(mutating(counts)).filter((action) => LB_WRITES.test(action));

const warnings = (report: Report) =>
  report.kubeEvents
    .filter((event) => event.type === 'Warning')
    .map(
      (event) =>
        `${event.involvedObject.kind} ${event.involvedObject.namespace}/${event.involvedObject.name}: ${event.reason}`,
    );

describe('e2e: never touch what is not ours (issue 12)', () => {
  it(
    'an Ingress and a Service naming a foreign ALB and NLB get their ARNs from CreateLoadBalancer and are refused (no listener, no tag, one error each); deleting them removes only the target groups slbc made',
    async () => {
      let refused: Awaited<ReturnType<typeof recordedErrors>> = [];
      const report = await runNamed('security/foreign-takeover', {
        afterStep: async (step, system) => {
          if (step.index === 3) refused = await recordedErrors(system);
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      const [, alb, nlb, apply] = report.steps;
      const albArn = createdArn(alb);
      const nlbArn = createdArn(nlb);
      expect(albArn).toMatch(/:loadbalancer\/app\/theirs-alb\//);
      expect(nlbArn).toMatch(/:loadbalancer\/net\/theirs-nlb\//);

      // only the two foreign load balancers exist, as their owner made them
      expect(report.loadBalancers.map((lb) => [lb.name, lb.type, lb.foreign, lb.tags, lb.listeners])).toEqual(
        [
          ['theirs-alb', 'application', true, {}, []],
          ['theirs-nlb', 'network', true, {}, []],
        ],
      );
      // slbc's creates were answered with the foreign ARNs (the message names them): refused by tags
      expect(refused).toEqual([
        {
          kind: 'Ingress',
          namespace: 'shop',
          name: 'front',
          field: LB_NAME_INGRESS,
          message: expect.stringMatching(
            new RegExp(
              `^Ingress shop/front .*load balancer 'theirs-alb' exists and is not owned by this stack \\(${albArn}`,
            ),
          ),
        },
        {
          kind: 'Service',
          namespace: 'shop',
          name: 'edge',
          field: LB_NAME_SERVICE,
          message: expect.stringMatching(
            new RegExp(
              `^Service shop/edge .*load balancer 'theirs-nlb' exists and is not owned by this stack \\(${nlbArn}`,
            ),
          ),
        },
      ]);
      expect(apply?.elbv2['CreateLoadBalancer']).toBeGreaterThanOrEqual(2);
      expect(lbWrites(report.counters.elbv2)).toEqual([]);
      expect(report.status).toEqual({});
      // once the Ingress and the Service are deleted: their errors and slbc's own target groups
      // are gone, the foreign load balancers stay (no Delete* on them, above)
      expect(report.errors).toEqual([]);
      expect(report.targetGroups).toEqual([]);
      expect([...new Set(warnings(report))].sort()).toEqual([
        'Ingress shop/front: FailedDeployModel',
        'Service shop/edge: FailedDeployModel',
      ]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'group shadowing: an Ingress of another namespace and a newer one of the same namespace claiming shop/shop’s host and path are refused, and shop keeps its traffic',
    async () => {
      const report = await runNamed('security/group-shadowing');
      expect(report.converged, notConverged(report)).toBe(true);
      const [alb, ...others] = report.loadBalancers;
      expect(others).toEqual([]);
      expect(alb?.listeners.map((listener) => listener.port)).toEqual([80]);
      const rules = alb?.listeners[0]?.rules ?? [];
      expect(rules.map((rule) => [rule.priority, rule.conditions, forwardsTo(rule)])).toEqual([
        [
          1,
          [
            expect.objectContaining({ Field: 'host-header', Values: ['shop.example.com'] }),
            expect.objectContaining({ Field: 'path-pattern', Values: ['/*'] }),
          ],
          expect.stringMatching(/^k8s-shop-shop-/),
        ],
      ]);
      // the refused members got no target group either
      expect(report.targetGroups.map((group) => group.name)).toEqual([
        expect.stringMatching(/^k8s-shop-shop-/),
      ]);
      expect(report.errors).toEqual([
        {
          kind: 'Ingress',
          namespace: 'evil',
          name: 'steal',
          field: 'metadata.annotations["alb.ingress.kubernetes.io/group.name"]',
          message: expect.stringContaining(
            'IngressGroup shop belongs to namespace shop (its oldest member is shop/shop); members from other namespaces are refused',
          ),
        },
        {
          kind: 'Ingress',
          namespace: 'shop',
          name: 'newcomer',
          field: 'spec.rules',
          message: expect.stringContaining(
            'port 80, host shop.example.com, path /* is already routed by the older Ingress shop/shop',
          ),
        },
      ]);
      // the newcomers' sinks have no pods: a request they took would be a 503
      expect(report.traffic.sent).toBeGreaterThan(100);
      expect(report.traffic.byStatus).toEqual({ '200': report.traffic.sent });
      const [, , , joinEvil, , joinNewcomer] = report.steps;
      expect([joinEvil?.kind, mutating(joinEvil?.elbv2 ?? {})]).toEqual(['apply', {}]);
      expect([joinNewcomer?.kind, mutating(joinNewcomer?.elbv2 ?? {})]).toEqual(['apply', {}]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'deleting the IngressClass keeps the ALB, its rule and target group with an error naming the Ingress and the class; re-creating it clears the error; no Delete* call',
    async () => {
      const seen = new Map<number, Awaited<ReturnType<typeof recordedErrors>>>();
      const report = await runNamed('security/class-deleted', {
        afterStep: async (step, system) => {
          seen.set(step.index, await recordedErrors(system));
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      const missingClass = {
        kind: 'Ingress',
        namespace: 'default',
        name: 'web',
        field: 'spec.ingressClassName',
        message: expect.stringContaining('IngressClass alb not found'),
      };
      // after the delete, and still after a resync: one error, naming the Ingress and the class
      expect(seen.get(3)).toEqual([missingClass]);
      expect(seen.get(4)).toEqual([missingClass]);
      expect(seen.get(5)).toEqual([]);
      expect(report.errors).toEqual([]);

      const [alb, ...others] = report.loadBalancers;
      expect(others).toEqual([]);
      expect(alb?.name).toMatch(/^k8s-default-web-/);
      expect(alb?.listeners[0]?.rules.map((rule) => forwardsTo(rule))).toEqual([
        expect.stringMatching(/^k8s-default-web-/),
      ]);
      expect(report.targetGroups.map((group) => group.targets.length)).toEqual([2]);
      for (const step of report.steps.slice(3))
        expect([step.index, step.kind, mutating(step.elbv2)]).toEqual([step.index, step.kind, {}]);
      expect(Object.keys(report.counters.elbv2).filter((action) => action.startsWith('Delete'))).toEqual([]);
      // the ALB answered throughout
      expect(report.traffic.sent).toBeGreaterThan(100);
      expect(report.traffic.byStatus).toEqual({ '200': report.traffic.sent });
      expect(warnings(report)).toEqual(['Ingress default/web: FailedBuildModel']);
    },
    E2E_TIMEOUT_MS,
  );
  it(
    'an NLB the LBC made without security groups is adopted as it is: no SetSecurityGroups, no managed group, its listener forwards to the pods',
    async () => {
      const report = await runNamed('security/adopt-nlb-without-sgs');
      expect(report.converged, notConverged(report)).toBe(true);
      const madeArn = createdArn(report.steps[0]);
      expect(report.loadBalancers.map((lb) => [lb.name, lb.type, lb.foreign])).toEqual([
        ['k8s-shop-edge-lbcmade000', 'network', false],
      ]);
      const [nlb] = report.loadBalancers;
      expect(nlb?.listeners.map((listener) => [listener.port, listener.protocol])).toEqual([[80, 'TCP']]);
      expect(report.status).toEqual({ 'Service/shop/edge': nlb?.dnsName });
      expect(report.errors).toEqual([]);
      expect(report.securityGroups).toEqual([]);
      const calls = report.counters.elbv2;
      expect([calls['SetSecurityGroups'], calls['CreateLoadBalancer']]).toEqual([undefined, 1]);
      expect(report.targetGroups.map((group) => [group.foreign, group.targets.length])).toEqual([[false, 2]]);
      expect(madeArn).toMatch(/:loadbalancer\/net\/k8s-shop-edge-lbcmade000\//);
      expect(report.traffic.sent).toBeGreaterThan(50);
      expect(report.traffic.byStatus).toEqual({ '200': report.traffic.sent });
    },
    E2E_TIMEOUT_MS,
  );
  it(
    'IngressClassParams: its namespaceSelector refuses an Ingress of another namespace, its group one naming no group; the selected one gets the ALB',
    async () => {
      const report = await runNamed('security/class-params');
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.loadBalancers.map((lb) => lb.name)).toEqual([expect.stringMatching(/^k8s-shared-/)]);
      const rules = report.loadBalancers[0]?.listeners[0]?.rules ?? [];
      expect(rules.map((rule) => rule.conditions[0])).toEqual([
        expect.objectContaining({ Field: 'host-header', Values: ['shop.example.com'] }),
      ]);
      expect(Object.keys(report.status)).toEqual(['Ingress/shop/web']);
      expect(report.errors).toEqual([
        {
          kind: 'Ingress',
          namespace: 'evil',
          name: 'web',
          field: 'spec.ingressClassName',
          message: expect.stringContaining(
            'namespace evil is not selected by the namespaceSelector of IngressClassParams team-params (IngressClass team)',
          ),
        },
        {
          kind: 'Ingress',
          namespace: 'shop',
          name: 'stray',
          field: 'metadata.annotations["alb.ingress.kubernetes.io/group.name"]',
          message: expect.stringContaining(
            "IngressClassParams team-params, which puts the class's Ingresses in group shared",
          ),
        },
      ]);
      expect(mutating(report.steps[1]?.elbv2 ?? {})).toEqual({});
    },
    E2E_TIMEOUT_MS,
  );
});
