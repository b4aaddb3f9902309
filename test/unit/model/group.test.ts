import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from '../../../shared/k8s/objects.js';
import { ingressGroupIds } from '../../../shared/model/ingress/affected.js';
import {
  groupOf,
  isManagedIngress,
  loadIngressGroup,
  sortGroupMembers,
  validateGroupName,
} from '../../../shared/model/ingress/group.js';

const GROUP = 'alb.ingress.kubernetes.io/group.name';
const ORDER = 'alb.ingress.kubernetes.io/group.order';
const CLASS = 'kubernetes.io/ingress.class';
const config = { ingressClass: 'alb' };

function member(
  name: string,
  annotations: Record<string, string>,
  spec: Ingress['spec'] = {},
  namespace = 'namespace',
): Ingress {
  return { metadata: { namespace, name, annotations }, spec };
}
const grouped = (name: string, order?: string) =>
  member(name, {
    [CLASS]: 'alb',
    [GROUP]: 'awesome-group',
    ...(order === undefined ? {} : { [ORDER]: order }),
  });
const names = (ingresses: Ingress[]) => ingresses.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);

describe('member order: group.order, then namespace/name', () => {
  it.each([
    {
      name: 'no order: lexical',
      members: [grouped('ingress-c'), grouped('ingress-b'), grouped('ingress-a')],
      sorted: ['namespace/ingress-a', 'namespace/ingress-b', 'namespace/ingress-c'],
    },
    {
      name: 'explicit order',
      members: [grouped('ingress-a', '3'), grouped('ingress-b', '2'), grouped('ingress-c', '1')],
      sorted: ['namespace/ingress-c', 'namespace/ingress-b', 'namespace/ingress-a'],
    },
    {
      name: 'explicit 1 sorts after the default 0',
      members: [grouped('ingress-a', '1'), grouped('ingress-b'), grouped('ingress-c')],
      sorted: ['namespace/ingress-b', 'namespace/ingress-c', 'namespace/ingress-a'],
    },
    {
      name: 'same order: lexical',
      members: [grouped('ingress-b', '42'), grouped('ingress-a', '42')],
      sorted: ['namespace/ingress-a', 'namespace/ingress-b'],
    },
    {
      name: 'negative order first',
      members: [grouped('ingress-b', '0'), grouped('ingress-a', '-1')],
      sorted: ['namespace/ingress-a', 'namespace/ingress-b'],
    },
  ])('$name', ({ members, sorted }) => {
    const result = sortGroupMembers(members);
    expect(names(result.members)).toEqual(sorted);
    expect(result.memberErrors).toEqual([]);
  });

  it.each([
    {
      name: 'not a number',
      order: 'x',
      message:
        'failed to load Ingress group order for ingress: namespace/ingress: failed to parse int32 annotation, alb.ingress.kubernetes.io/group.order: x: strconv.ParseInt: parsing "x": invalid syntax',
    },
    {
      name: 'out of range',
      order: '1001',
      message:
        'explicit Ingress group order must be within [-1000:1000], Ingress: namespace/ingress, order: 1001',
    },
  ])('$name: that member alone is refused', ({ order, message }) => {
    const result = sortGroupMembers([
      member('ingress', { [CLASS]: 'alb', [ORDER]: order }),
      grouped('other'),
    ]);
    expect(names(result.members)).toEqual(['namespace/other']);
    expect(result.memberErrors).toHaveLength(1);
    expect(result.memberErrors[0]).toMatchObject({
      namespace: 'namespace',
      name: 'ingress',
      field: `metadata.annotations["${ORDER}"]`,
    });
    expect(result.memberErrors[0]?.message).toContain(message);
  });
});

describe('group names', () => {
  const invalid =
    "groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  it.each([
    { name: 'group', error: undefined },
    { name: '42', error: undefined },
    { name: 'm00nf1sh', error: undefined },
    { name: 'group-m00nf1sh', error: undefined },
    { name: 'GROUP', error: invalid },
    { name: 'aaaa-.cc-c.c', error: undefined },
    { name: '-abcdef', error: invalid },
    { name: 'a'.repeat(63), error: undefined },
    { name: 'a'.repeat(64), error: 'groupName must be no more than 63 characters' },
  ])('$name', ({ name, error }) => expect(validateGroupName(name)).toBe(error));
});

describe('membership', () => {
  const classes: IngressClass[] = [
    { metadata: { name: 'ing-class-d' }, spec: { controller: 'ingress.k8s.aws/alb' } },
    { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
  ];
  const ingresses = [
    member('ing-4', {}, { ingressClassName: 'ing-class-d' }, 'ing-ns'),
    member('ing-5', { [GROUP]: 'awesome-group' }, { ingressClassName: 'ing-class-d' }, 'ing-ns'),
    member('ing-6', { [CLASS]: 'alb' }, {}, 'ing-ns'),
    member('ing-7', { [CLASS]: 'alb', [GROUP]: 'awesome-group' }, {}, 'ing-ns'),
    member('ing-8', { [CLASS]: 'nginx', [GROUP]: 'awesome-group' }, {}, 'ing-ns'),
    member('ing-9', {}, { ingressClassName: 'nginx' }, 'ing-ns'),
    member('ing-10', { [CLASS]: 'alb', [GROUP]: 'Bad_Name' }, {}, 'ing-ns'),
  ];

  it.each([
    {
      name: 'explicit group',
      id: { namespace: '', name: 'awesome-group' },
      members: ['ing-ns/ing-5', 'ing-ns/ing-7'],
    },
    { name: 'implicit group', id: { namespace: 'ing-ns', name: 'ing-4' }, members: ['ing-ns/ing-4'] },
    {
      name: 'a group whose last member left is empty',
      id: { namespace: 'ing-ns', name: 'gone' },
      members: [],
    },
  ])('$name', ({ id, members }) => {
    expect(names(loadIngressGroup(id, ingresses, classes, config).members)).toEqual(members);
  });

  it('sorts every managed Ingress into its group; an invalid group name joins none', () => {
    const groups = ingressGroupIds(ingresses, classes, config).map((id) =>
      loadIngressGroup(id, ingresses, classes, config),
    );
    const unassigned = ingresses.flatMap((ingress) => {
      const group = groupOf(ingress);
      return 'error' in group && isManagedIngress(ingress, classes, config) ? [group.error] : [];
    });
    expect(groups.map((group) => [group.id.name, names(group.members)])).toEqual([
      ['ing-4', ['ing-ns/ing-4']],
      ['awesome-group', ['ing-ns/ing-5', 'ing-ns/ing-7']],
      ['ing-6', ['ing-ns/ing-6']],
    ]);
    expect(unassigned).toHaveLength(1);
    expect(unassigned[0]).toMatchObject({ name: 'ing-10', field: `metadata.annotations["${GROUP}"]` });
  });

  it.each([
    {
      name: 'legacy annotation wins over the class name',
      ingress: member('a', { [CLASS]: 'alb' }, { ingressClassName: 'nginx' }),
      managed: true,
    },
    {
      name: 'legacy annotation for another class',
      ingress: member('a', { [CLASS]: 'nginx' }, { ingressClassName: 'ing-class-d' }),
      managed: false,
    },
    {
      name: 'unknown IngressClass',
      ingress: member('a', {}, { ingressClassName: 'missing' }),
      managed: false,
    },
    { name: 'no class and no default class', ingress: member('a', {}), managed: false },
    {
      name: 'being deleted',
      ingress: {
        ...member('a', { [CLASS]: 'alb' }),
        metadata: {
          name: 'a',
          namespace: 'n',
          annotations: { [CLASS]: 'alb' },
          deletionTimestamp: '2026-01-01T00:00:00Z',
        },
      },
      managed: false,
    },
  ])('$name', ({ ingress, managed }) => expect(isManagedIngress(ingress, classes, config)).toBe(managed));

  it('uses the single default IngressClass when the Ingress names none', () => {
    const defaults: IngressClass[] = [
      {
        metadata: { name: 'alb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
        spec: { controller: 'ingress.k8s.aws/alb' },
      },
    ];
    expect(isManagedIngress(member('a', {}), defaults, config)).toBe(true);
  });
});
