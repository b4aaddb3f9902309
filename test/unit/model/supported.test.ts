import { describe, expect, it } from 'vitest';
import {
  unsupportedBackendServiceAnnotation,
  unsupportedIngressAnnotation,
  unsupportedServiceAnnotation,
} from '../../../shared/model/annotations/supported.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import { environment, pathsIngress, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';
const S = 'service.beta.kubernetes.io';

interface Case {
  name?: string;
  annotations: Record<string, string>;
  refused: string | undefined;
}

describe('fail closed on annotations slbc does not implement', () => {
  it.each<Case>([
    {
      name: 'implemented keys',
      annotations: { [`${A}/scheme`]: 'internal', [`${A}/target-type`]: 'ip' },
      refused: undefined,
    },
    {
      name: 'actions, conditions, listener-attributes families and auth',
      annotations: {
        [`${A}/actions.a`]: '{}',
        [`${A}/conditions.b`]: '[]',
        [`${A}/listener-attributes.HTTP-80`]: '',
        [`${A}/auth-type`]: 'none',
      },
      refused: undefined,
    },
    {
      name: "another controller's annotations",
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
      refused: undefined,
    },
    {
      name: 'an LBC annotation slbc lacks',
      annotations: { [`${A}/jwt-validation`]: '{}' },
      refused: `${A}/jwt-validation`,
    },
    { name: 'a typo', annotations: { [`${A}/healthcheck-paht`]: '/' }, refused: `${A}/healthcheck-paht` },
    { name: 'an empty family suffix', annotations: { [`${A}/actions.`]: '{}' }, refused: `${A}/actions.` },
    { name: 'WAF classic', annotations: { [`${A}/waf-acl-id`]: 'x' }, refused: `${A}/waf-acl-id` },
  ])('Ingress: $name', ({ annotations, refused }) => {
    expect(unsupportedIngressAnnotation(annotations)?.key).toBe(refused);
  });

  it.each<Case>([
    { annotations: { [`${A}/healthcheck-path`]: '/' }, refused: undefined },
    { annotations: { [`${A}/scheme`]: 'internal' }, refused: `${A}/scheme` },
    { annotations: { [`${A}/transforms.svc`]: '[]' }, refused: `${A}/transforms.svc` },
  ])('backend Service: $annotations', ({ annotations, refused }) => {
    expect(unsupportedBackendServiceAnnotation(annotations)?.key).toBe(refused);
  });

  it.each<Case>([
    { annotations: { [`${S}/aws-load-balancer-scheme`]: 'internal' }, refused: undefined },
    { annotations: { [`${S}/load-balancer-source-ranges`]: '10.0.0.0/8' }, refused: undefined },
    {
      annotations: { [`${S}/aws-load-balancer-eip-allocations`]: 'eipalloc-1' },
      refused: `${S}/aws-load-balancer-eip-allocations`,
    },
    {
      annotations: { [`${S}/aws-load-balancer-shcem`]: 'internal' },
      refused: `${S}/aws-load-balancer-shcem`,
    },
  ])('Service: $annotations', ({ annotations, refused }) => {
    expect(unsupportedServiceAnnotation(annotations)?.key).toBe(refused);
  });

  it('refuses the Ingress naming it and the annotation, and builds nothing for it', () => {
    const result = buildIngressGroupStack({
      env: environment(),
      group: {
        id: { namespace: 'ns-1', name: 'ing-1' },
        members: [pathsIngress('ing-1', ['/a'], { [`${A}/wafv2-acl-name`]: 'my-acl' })],
        memberErrors: [],
      },
      services: [service('svc-1')],
    });
    expect(result.memberErrors.map((error) => error.field)).toEqual([
      `metadata.annotations["${A}/wafv2-acl-name"]`,
    ]);
    expect(result.memberErrors[0]?.message).toMatch(/^Ingress ns-1\/ing-1 .*is not implemented by slbc/);
    expect(result.stack.members).toEqual([]);
    expect(result.stackErrors).toHaveLength(1);
  });

  it('refuses the Ingress when its backend Service carries an unimplemented ALB annotation, naming the Service', () => {
    const result = buildIngressGroupStack({
      env: environment(),
      group: {
        id: { namespace: 'ns-1', name: 'ing-1' },
        members: [pathsIngress('ing-1', ['/a'])],
        memberErrors: [],
      },
      services: [service('svc-1', { [`${A}/healthcheck-pth`]: '/x' })],
    });
    expect(result.memberErrors[0]?.message).toContain(`Service ns-1/svc-1: annotation ${A}/healthcheck-pth`);
  });

  it('refuses the Service naming it and the annotation', () => {
    const svc = service('svc-1', { [`${S}/aws-load-balancer-private-ipv4-addresses`]: '10.0.0.5' });
    const result = buildServiceStack({
      env: environment(),
      id: { namespace: 'ns-1', name: 'svc-1' },
      service: { ...svc, spec: { ...svc.spec, type: 'LoadBalancer' } },
    });
    expect(result.memberErrors[0]?.field).toBe(
      `metadata.annotations["${S}/aws-load-balancer-private-ipv4-addresses"]`,
    );
    expect(result.memberErrors[0]?.message).toMatch(/^Service ns-1\/svc-1 /);
    expect(result.stackErrors).toHaveLength(1);
  });
});
