import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { sortGroupMembers } from '../../../shared/model/ingress/group.js';
import { compareCreation } from '../../../shared/model/ingress/tenancy.js';
import type { ModelEnvironment } from '../../../shared/model/inputs.js';
import type { StackBuild } from '../../../shared/model/stack.js';
import { environment, ingress, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';

interface Member {
  name: string;
  namespace?: string;
  created?: string;
  order?: string;
  host?: string;
  path?: string;
  group?: string;
}

function member({
  name,
  namespace = 'shop',
  created,
  order,
  host = 'shop.example.com',
  path = '/',
  group = 'shop',
}: Member): Ingress {
  const made = ingress(
    name,
    { [`${A}/group.name`]: group, [`${A}/group.order`]: order },
    {
      rules: [
        {
          host,
          http: {
            paths: [
              { path, pathType: 'Prefix', backend: { service: { name: 'svc-1', port: { name: 'http' } } } },
            ],
          },
        },
      ],
    },
    namespace,
  );
  if (created) made.metadata.creationTimestamp = created;
  return made;
}

function build(members: Ingress[], env: Partial<ModelEnvironment> = {}): StackBuild {
  const sorted = sortGroupMembers(members);
  const namespaces = [...new Set(members.map((entry) => entry.metadata.namespace ?? ''))];
  return buildIngressGroupStack({
    env: environment(env),
    group: { id: { namespace: '', name: 'shop' }, ...sorted },
    services: namespaces.map((namespace) => service('svc-1', {}, namespace)),
  });
}
const admitted = (result: StackBuild) => result.stack.members.map((ref) => `${ref.namespace}/${ref.name}`);
const refused = (result: StackBuild) =>
  result.memberErrors.map((error) => `${error.namespace}/${error.name}`);

describe('compareCreation', () => {
  it.each([
    { a: '2026-01-01T00:00:00Z', b: '2026-01-02T00:00:00Z', sign: -1 },
    { a: '2026-01-02T00:00:00Z', b: '2026-01-01T00:00:00Z', sign: 1 },
    { a: undefined, b: '2026-01-01T00:00:00Z', sign: 1 },
    { a: '2026-01-01T00:00:00Z', b: undefined, sign: -1 },
    { a: '2026-01-01T00:00:00Z', b: '2026-01-01T00:00:00Z', sign: -1 }, // tie: namespace/name, a < b
  ])('$a vs $b', ({ a, b, sign }) => {
    expect(
      Math.sign(compareCreation(member({ name: 'a', created: a }), member({ name: 'b', created: b }))),
    ).toBe(sign);
  });
});

describe('namespace tenancy of explicit groups', () => {
  const owner = member({ name: 'shop', created: '2026-01-01T00:00:00Z' });
  const intruder = member({
    name: 'evil',
    namespace: 'evil',
    created: '2026-02-01T00:00:00Z',
    order: '-1000',
    path: '/evil',
  });

  it('by default only the namespace of the oldest member may join', () => {
    const result = build([owner, intruder]);
    expect(admitted(result)).toEqual(['shop/shop']);
    expect(refused(result)).toEqual(['evil/evil']);
    expect(result.memberErrors[0]?.field).toBe(`metadata.annotations["${A}/group.name"]`);
    expect(result.memberErrors[0]?.message).toContain(
      'IngressGroup shop belongs to namespace shop (its oldest member is shop/shop); members from other namespaces are refused',
    );
  });

  it('the oldest member decides, not group.order or name', () => {
    const older = member({ name: 'zzz', namespace: 'team-b', created: '2025-12-01T00:00:00Z', path: '/b' });
    expect(admitted(build([owner, older]))).toEqual(['team-b/zzz']);
  });

  it('groupNamespaces any admits every namespace', () => {
    expect(admitted(build([owner, intruder], { groupNamespaces: 'any' }))).toEqual([
      'evil/evil',
      'shop/shop',
    ]);
  });

  it('does not apply to an implicit group', () => {
    const alone = member({ name: 'solo', namespace: 'other' });
    delete alone.metadata.annotations?.[`${A}/group.name`];
    const result = buildIngressGroupStack({
      env: environment(),
      group: { id: { namespace: 'other', name: 'solo' }, members: [alone], memberErrors: [] },
      services: [service('svc-1', {}, 'other')],
    });
    expect(admitted(result)).toEqual(['other/solo']);
  });
});

describe('two members claiming the same host and path', () => {
  const first = member({ name: 'first', created: '2026-01-01T00:00:00Z' });

  it.each([
    {
      name: 'a lower group.order does not win',
      newcomer: { name: 'later', created: '2026-01-02T00:00:00Z', order: '-1000' },
    },
    { name: 'a name sorting first does not win', newcomer: { name: 'aaa', created: '2026-01-02T00:00:00Z' } },
    { name: 'no creationTimestamp counts as newest', newcomer: { name: 'aaa' } },
  ])('the newcomer is refused: $name', ({ newcomer }) => {
    const result = build([first, member(newcomer)], { groupNamespaces: 'any' });
    expect(admitted(result)).toEqual(['shop/first']);
    expect(refused(result)).toEqual([`shop/${newcomer.name}`]);
    expect(result.memberErrors[0]?.message).toContain(
      'port 80, host shop.example.com, path /* is already routed by the older Ingress shop/first of this group',
    );
  });

  it.each([
    { name: 'another path', other: { path: '/other' } },
    { name: 'another host', other: { host: 'api.example.com' } },
  ])('$name is no conflict', ({ other }) => {
    const result = build([first, member({ name: 'second', created: '2026-01-02T00:00:00Z', ...other })]);
    expect(refused(result)).toEqual([]);
    expect(admitted(result)).toHaveLength(2);
  });

  it('the same path behind an extra condition is no conflict (header-based canaries)', () => {
    const canary = member({ name: 'canary', created: '2026-01-02T00:00:00Z', order: '-1' });
    canary.metadata.annotations![`${A}/conditions.svc-1`] =
      '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"X-Canary","values":["1"]}}]';
    expect(refused(build([first, canary]))).toEqual([]);
  });
});
