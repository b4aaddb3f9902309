import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { isManagedIngress, loadIngressGroup, matchClass } from '../../../shared/model/ingress/group.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import { environment, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';
const config = { ingressClass: 'alb' };
const ALB_CLASS: IngressClass = { metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb' } };
const NGINX_CLASS: IngressClass = {
  metadata: { name: 'nginx' },
  spec: { controller: 'k8s.io/ingress-nginx' },
};
const PARAMS_CLASS: IngressClass = {
  metadata: { name: 'alb-params' },
  spec: {
    controller: 'ingress.k8s.aws/alb',
    parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'team-params' },
  },
};

function classed(
  name: string,
  className: string | undefined,
  extra: Partial<Ingress['metadata']> = {},
): Ingress {
  return {
    metadata: { namespace: 'ns-1', name, ...extra },
    spec: {
      ...(className === undefined ? {} : { ingressClassName: className }),
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'svc-1', port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  };
}
const withStatus = (ingress: Ingress): Ingress => ({
  ...ingress,
  status: { loadBalancer: { ingress: [{ hostname: 'k8s-ns1-web-abc.us-east-1.elb.amazonaws.com' }] } },
});

describe('which Ingresses slbc manages, and which it cannot tell', () => {
  it.each([
    { name: 'class alb', ingress: classed('a', 'alb'), expected: 'managed' },
    { name: 'class nginx', ingress: classed('a', 'nginx'), expected: 'not managed' },
    { name: 'no class and no default class', ingress: classed('a', undefined), expected: 'not managed' },
    { name: 'missing class, nothing of ours', ingress: classed('a', 'gone'), expected: 'not managed' },
    {
      name: 'missing class with an ALB annotation',
      ingress: classed('a', 'gone', { annotations: { [`${A}/scheme`]: 'internal' } }),
      expected: 'unresolved',
    },
    {
      name: 'missing class with an LBC finalizer',
      ingress: classed('a', 'gone', { finalizers: ['ingress.k8s.aws/resources'] }),
      expected: 'unresolved',
    },
    {
      name: 'missing class with an ELB hostname in its status',
      ingress: withStatus(classed('a', 'gone')),
      expected: 'unresolved',
    },
    { name: 'a class with IngressClassParams', ingress: classed('a', 'alb-params'), expected: 'unresolved' },
  ])('$name: $expected', ({ ingress, expected }) => {
    const match = matchClass(ingress, [ALB_CLASS, NGINX_CLASS, PARAMS_CLASS], config);
    const found = 'unresolved' in match ? 'unresolved' : match.managed ? 'managed' : 'not managed';
    expect(found).toBe(expected);
    expect(isManagedIngress(ingress, [ALB_CLASS, NGINX_CLASS, PARAMS_CLASS], config)).toBe(
      expected !== 'not managed',
    );
  });
});

describe('a missing IngressClass keeps what exists', () => {
  const ours = withStatus(classed('web', 'alb'));

  it('the group reports the error and blocks instead of emptying the stack', () => {
    const group = loadIngressGroup({ namespace: 'ns-1', name: 'web' }, [ours], [], config);
    expect(group.members).toEqual([]);
    expect(group.memberErrors.map((error) => error.message)).toEqual([
      'Ingress ns-1/web spec.ingressClassName: IngressClass alb not found: slbc cannot tell whether it manages this Ingress, so it keeps the load balancer as it is (delete the Ingress, or change its class, to remove it)',
    ]);
    const result = buildIngressGroupStack({ env: environment(), group, services: [service('svc-1')] });
    expect(result.stackErrors).toHaveLength(1);
    expect(result.memberErrors).toHaveLength(1);
  });

  it('an explicit class change away from slbc empties the group (delete)', () => {
    const moved = withStatus(classed('web', 'nginx'));
    const group = loadIngressGroup(
      { namespace: 'ns-1', name: 'web' },
      [moved],
      [ALB_CLASS, NGINX_CLASS],
      config,
    );
    const result = buildIngressGroupStack({ env: environment(), group, services: [service('svc-1')] });
    expect([result.memberErrors, result.stackErrors, result.stack.members]).toEqual([[], [], []]);
  });

  it('in a shared group the other members still build; the unresolved one is refused', () => {
    const grouped = (name: string, className: string) =>
      classed(name, className, { annotations: { [`${A}/group.name`]: 'g' } });
    const group = loadIngressGroup(
      { namespace: '', name: 'g' },
      [grouped('a', 'alb'), grouped('b', 'gone')],
      [ALB_CLASS],
      config,
    );
    const result = buildIngressGroupStack({ env: environment(), group, services: [service('svc-1')] });
    expect(result.stack.members.map((member) => member.name)).toEqual(['a']);
    expect(result.memberErrors.map((error) => error.name)).toEqual(['b']);
    expect(result.stackErrors).toEqual([]);
  });
});

describe('deletion protection (the LBC text)', () => {
  const deleting = (attributes?: string, name = 'web') =>
    classed(name, 'alb', {
      deletionTimestamp: '2026-01-01T00:00:00Z',
      finalizers: ['ingress.k8s.aws/resources'],
      annotations: attributes === undefined ? {} : { [`${A}/load-balancer-attributes`]: attributes },
    });
  const build = (ingresses: Ingress[]) => {
    const group = loadIngressGroup({ namespace: 'ns-1', name: 'web' }, ingresses, [ALB_CLASS], config);
    return buildIngressGroupStack({ env: environment(), group, services: [service('svc-1')] });
  };

  it.each([
    { attributes: 'deletion_protection.enabled=true', refused: true },
    { attributes: 'idle_timeout.timeout_seconds=60,deletion_protection.enabled=1', refused: true },
    { attributes: 'deletion_protection.enabled=false', refused: false },
    { attributes: undefined, refused: false },
  ])('the last member leaving with $attributes: refused $refused', ({ attributes, refused }) => {
    const result = build([deleting(attributes)]);
    expect(result.memberErrors.map((error) => error.message)).toEqual(
      refused
        ? [
            `Ingress ns-1/web metadata.annotations["${A}/load-balancer-attributes"]: deletion_protection is enabled, cannot delete the ingress: web`,
          ]
        : [],
    );
    expect(result.stackErrors.length > 0).toBe(refused);
  });

  it('a protected member leaving a group that keeps other members does not hold the group', () => {
    const grouped = (ingress: Ingress) => {
      ingress.metadata.annotations = { ...ingress.metadata.annotations, [`${A}/group.name`]: 'g' };
      return ingress;
    };
    const group = loadIngressGroup(
      { namespace: '', name: 'g' },
      [grouped(deleting('deletion_protection.enabled=true', 'old')), grouped(classed('new', 'alb'))],
      [ALB_CLASS],
      config,
    );
    const result = buildIngressGroupStack({ env: environment(), group, services: [service('svc-1')] });
    expect([result.memberErrors, result.stackErrors]).toEqual([[], []]);
    expect(result.stack.members.map((member) => member.name)).toEqual(['new']);
  });

  it.each([
    { attributes: 'deletion_protection.enabled=true', refused: true },
    { attributes: 'deletion_protection.enabled=false', refused: false },
  ])('a LoadBalancer Service being deleted with $attributes: refused $refused', ({ attributes, refused }) => {
    const base = service('svc-1', { 'service.beta.kubernetes.io/aws-load-balancer-attributes': attributes });
    const svc = {
      ...base,
      metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
      spec: { ...base.spec, type: 'LoadBalancer' },
    };
    const result = buildServiceStack({
      env: environment(),
      id: { namespace: 'ns-1', name: 'svc-1' },
      service: svc,
    });
    expect(result.memberErrors.map((error) => error.message)).toEqual(
      refused
        ? [
            'Service ns-1/svc-1 metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-attributes"]: deletion_protection is enabled, cannot delete the service: svc-1',
          ]
        : [],
    );
    expect(result.stackErrors.length > 0).toBe(refused);
  });
});
