import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngressSchema, ServiceSchema } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import type { Stack } from '../../../shared/model/stack.js';
import { environment, SUBNETS } from './helpers.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/lbc-vanilla-internal.json', import.meta.url), 'utf8'),
);

/**
 * Our stack in the LBC's shape, undoing only the documented differences (docs/model.md):
 * complete tag sets on every spec, empty attribute lists, the binding carried on the target group
 * (the LBC: a separate TargetGroupBinding resource), and the extra provenance fields.
 */
function toLbcShape(stack: Stack): unknown {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [type, byId] of Object.entries(stack.resources)) {
    for (const [id, resource] of Object.entries(byId as Record<string, { spec: Record<string, unknown> }>)) {
      const { tags: _tags, loadBalancerAttributes, targetGroupAttributes, ...spec } = resource.spec;
      if (Array.isArray(loadBalancerAttributes) && loadBalancerAttributes.length > 0)
        spec['loadBalancerAttributes'] = loadBalancerAttributes;
      if (Array.isArray(targetGroupAttributes) && targetGroupAttributes.length > 0)
        spec['targetGroupAttributes'] = targetGroupAttributes;
      resources[type] ??= {};
      resources[type][id] = { spec };
      if ('binding' in resource) {
        const { name, namespace, ...bindingSpec } = (
          resource as unknown as { binding: Record<string, unknown> }
        ).binding;
        resources['K8S::ElasticLoadBalancingV2::TargetGroupBinding'] ??= {};
        resources['K8S::ElasticLoadBalancingV2::TargetGroupBinding'][id] = {
          spec: {
            template: {
              metadata: { name, namespace },
              spec: {
                targetGroupARN: {
                  $ref: `#/resources/AWS::ElasticLoadBalancingV2::TargetGroup/${id}/status/targetGroupARN`,
                },
                ...bindingSpec,
              },
            },
          },
        };
      }
    }
  }
  return { id: stack.id, resources };
}

describe('conformance: the LBC vanilla internal stack', () => {
  const build = buildIngressGroupStack({
    env: environment({ backendSecurityGroupId: 'sg-auto', subnets: SUBNETS }),
    group: {
      id: { namespace: 'ns-1', name: 'ing-1' },
      members: [IngressSchema.parse(fixture.ingress)],
      memberErrors: [],
    },
    services: fixture.services.map((service: unknown) => ServiceSchema.parse(service)),
  });
  const ours = toLbcShape(build.stack) as { resources: Record<string, Record<string, unknown>> };
  const { FrontendNLBTargetGroup: _notModelled, ...expectedResources } = fixture.expected.resources;

  it('builds without errors', () => {
    expect(build.memberErrors).toEqual([]);
    expect(build.stackErrors).toEqual([]);
  });

  const cases = Object.entries(expectedResources as Record<string, Record<string, unknown>>).flatMap(
    ([type, byId]) =>
      Object.entries(byId).map(([id, expected]) => ({ name: `${type} ${id}`, type, id, expected })),
  );
  it.each(cases)('$name matches field by field', ({ type, id, expected }) => {
    expect(ours.resources[type]?.[id]).toEqual(expected);
  });

  it('has no resource the LBC does not have', () => {
    for (const [type, byId] of Object.entries(ours.resources)) {
      expect(Object.keys(byId).sort()).toEqual(Object.keys(expectedResources[type] ?? {}).sort());
    }
  });

  it('tags every resource with the cluster, the stack and its resource id', () => {
    const rule = build.stack.resources['AWS::ElasticLoadBalancingV2::ListenerRule']['80:2'];
    expect(rule?.spec.tags).toEqual({
      'elbv2.k8s.aws/cluster': 'cluster-dummy',
      'ingress.k8s.aws/stack': 'ns-1/ing-1',
      'ingress.k8s.aws/resource': '80:2',
    });
    expect(rule?.source).toEqual({ kind: 'Ingress', namespace: 'ns-1', name: 'ing-1' });
  });

  it('serialises to JSON and back unchanged', () => {
    expect(JSON.parse(JSON.stringify(build.stack))).toEqual(build.stack);
  });
});
