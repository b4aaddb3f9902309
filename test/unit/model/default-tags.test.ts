import { describe, expect, it } from 'vitest';
import { type Config, configForCluster } from '../../../shared/config.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import type { Stack } from '../../../shared/model/stack.js';
import { TAG_KEYS } from '../../../shared/model/tags.js';
import { environment, pathsIngress, service } from './helpers.js';

const DEFAULT_TAGS = { team: 'platform', 'cost-center': 'cc-1' };

/** every resource of a stack that carries tags, with its type and id, for a readable failure */
function taggedResources(stack: Stack): Array<{ at: string; tags: Record<string, string> }> {
  return Object.entries(stack.resources).flatMap(([type, byId]) =>
    Object.entries(byId as Record<string, { spec: { tags?: Record<string, string> } }>).map(([id, r]) => ({
      at: `${type}/${id}`,
      tags: r.spec.tags ?? {},
    })),
  );
}

const ingressStack = (annotations: Record<string, string>) =>
  buildIngressGroupStack({
    env: environment({ defaultTags: DEFAULT_TAGS }),
    group: {
      id: { namespace: 'ns-1', name: 'web' },
      members: [pathsIngress('web', ['/a', '/b'], annotations)],
      memberErrors: [],
    },
    services: [service('svc-1'), service('svc-2')],
  }).stack;

const serviceStack = (annotations: Record<string, string>) =>
  buildServiceStack({
    env: environment({ defaultTags: DEFAULT_TAGS }),
    id: { namespace: 'default', name: 'echo' },
    service: {
      ...service('echo', annotations, 'default'),
      spec: {
        type: 'LoadBalancer',
        ports: [{ port: 80, targetPort: 8080, nodePort: 31000, protocol: 'TCP' }],
      },
    },
  }).stack;

describe('defaultTags (the LBC --default-tags) on every resource slbc creates', () => {
  it.each([
    { name: 'Ingress group', stack: ingressStack({}) },
    { name: 'LoadBalancer Service', stack: serviceStack({}) },
  ])('$name: each tagged resource carries the default tags', ({ stack }) => {
    const resources = taggedResources(stack);
    expect(resources.length).toBeGreaterThan(2);
    for (const { at, tags } of resources) expect({ at, tags }).toMatchObject({ at, tags: DEFAULT_TAGS });
  });

  it.each([
    {
      name: 'Ingress tags annotation',
      stack: ingressStack({ 'alb.ingress.kubernetes.io/tags': 'team=web,owner=me' }),
    },
    {
      name: 'Service additional-resource-tags',
      stack: serviceStack({
        'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': 'team=web,owner=me',
      }),
    },
  ])('$name: a default tag wins over the same annotation key, other annotation keys stay', ({ stack }) => {
    for (const { tags } of taggedResources(stack)) {
      expect(tags['team']).toBe('platform');
      expect(tags['owner']).toBe('me');
    }
  });

  it('the tracking tags are never replaced by a default tag', () => {
    const stack = buildIngressGroupStack({
      env: environment({ defaultTags: { [TAG_KEYS.cluster]: 'other' } }),
      group: {
        id: { namespace: 'ns-1', name: 'web' },
        members: [pathsIngress('web', ['/a'])],
        memberErrors: [],
      },
      services: [service('svc-1')],
    }).stack;
    for (const { tags } of taggedResources(stack)) expect(tags[TAG_KEYS.cluster]).toBe('cluster-dummy');
  });
});

describe('configForCluster', () => {
  const base: Pick<
    Config,
    | 'ingressClass'
    | 'defaultTargetType'
    | 'defaultScheme'
    | 'serviceClaim'
    | 'groupNamespaces'
    | 'defaultTags'
    | 'clusterSettings'
  > = {
    ingressClass: 'alb',
    defaultTargetType: 'ip',
    defaultScheme: 'internal',
    serviceClaim: 'all',
    groupNamespaces: 'same',
    defaultTags: { team: 'platform' },
    clusterSettings: { dev: { ingressClass: 'alb-dev', groupNamespaces: 'any' } },
  };
  it.each([
    { cluster: 'dev', ingressClass: 'alb-dev', groupNamespaces: 'any' },
    { cluster: 'prod', ingressClass: 'alb', groupNamespaces: 'same' },
  ])('$cluster reads its own overrides over the deployment-wide values', ({ cluster, ...expected }) => {
    expect(configForCluster(base, cluster)).toMatchObject({
      ...expected,
      defaultTargetType: 'ip',
      defaultTags: { team: 'platform' },
    });
  });
});
