import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from '../../../shared/k8s/objects.js';
import {
  type ClassParamsContext,
  type IngressClassParams,
  referencedParams,
} from '../../../shared/model/ingress/class-params.js';
import { loadIngressGroup, matchClass } from '../../../shared/model/ingress/group.js';

const config = { ingressClass: 'alb' };
const GROUP_NAME = 'alb.ingress.kubernetes.io/group.name';
const GROUP_FIELD = `metadata.annotations["${GROUP_NAME}"]`;
const CLASS: IngressClass = {
  metadata: { name: 'team' },
  spec: {
    controller: 'ingress.k8s.aws/alb',
    parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'team-params' },
  },
};

const ingress = (namespace: string, annotations: Record<string, string> = {}): Ingress => ({
  metadata: { namespace, name: 'web', annotations },
  spec: { ingressClassName: 'team' },
});

const params = (spec: Record<string, unknown>): IngressClassParams => ({
  metadata: { name: 'team-params' },
  spec,
});

function context(
  found: IngressClassParams | null | undefined,
  labels: Record<string, Record<string, string> | null> = { shop: { team: 'shop' }, evil: { team: 'evil' } },
): ClassParamsContext {
  return {
    params: new Map(found === undefined ? [] : [['team-params', found]]),
    namespaceLabels: new Map(Object.entries(labels)),
  };
}

const SHOP_ONLY = { namespaceSelector: { matchLabels: { team: 'shop' } } };

describe('IngressClassParams: namespaceSelector and group', () => {
  const cases: {
    name: string;
    ingress: Ingress;
    context: ClassParamsContext | undefined;
    /** 'managed', or the refusal's field and a part of its message */
    expected: 'managed' | [string, string];
  }[] = [
    {
      name: 'params not read at all',
      ingress: ingress('shop'),
      context: undefined,
      expected: ['spec.ingressClassName', 'cannot read here'],
    },
    {
      name: 'params missing',
      ingress: ingress('shop'),
      context: context(null),
      expected: ['spec.ingressClassName', 'team-params, which does not exist'],
    },
    {
      name: 'params unreadable',
      ingress: ingress('shop'),
      context: context(undefined),
      expected: ['spec.ingressClassName', 'could not be read'],
    },
    { name: 'empty spec', ingress: ingress('evil'), context: context(params({})), expected: 'managed' },
    {
      name: 'selector matches the namespace',
      ingress: ingress('shop'),
      context: context(params(SHOP_ONLY)),
      expected: 'managed',
    },
    {
      name: 'selector does not match the namespace',
      ingress: ingress('evil'),
      context: context(params(SHOP_ONLY)),
      expected: [
        'spec.ingressClassName',
        'namespace evil is not selected by the namespaceSelector of IngressClassParams team-params (IngressClass team)',
      ],
    },
    {
      name: 'matchExpressions: NotIn',
      ingress: ingress('evil'),
      context: context(
        params({
          namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['evil'] }] },
        }),
      ),
      expected: ['spec.ingressClassName', 'namespace evil is not selected'],
    },
    {
      name: 'namespace without labels, Exists',
      ingress: ingress('bare'),
      context: context(
        params({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }),
        { bare: {} },
      ),
      expected: ['spec.ingressClassName', 'namespace bare is not selected'],
    },
    {
      name: 'empty selector selects every namespace',
      ingress: ingress('evil'),
      context: context(params({ namespaceSelector: {} })),
      expected: 'managed',
    },
    {
      name: 'namespace labels not read',
      ingress: ingress('other'),
      context: context(params(SHOP_ONLY)),
      expected: ['spec.ingressClassName', "namespace other's labels, which could not be read"],
    },
    {
      name: 'group: the Ingress names it',
      ingress: ingress('shop', { [GROUP_NAME]: 'shared' }),
      context: context(params({ group: { name: 'shared' } })),
      expected: 'managed',
    },
    {
      name: 'group: the Ingress names none',
      ingress: ingress('shop'),
      context: context(params({ group: { name: 'shared' } })),
      expected: [
        GROUP_FIELD,
        `which puts the class's Ingresses in group shared: this Ingress must say so (${GROUP_NAME}: shared)`,
      ],
    },
    {
      name: 'group: the Ingress names another',
      ingress: ingress('shop', { [GROUP_NAME]: 'mine' }),
      context: context(params({ group: { name: 'shared' } })),
      expected: [GROUP_FIELD, `(${GROUP_NAME}: shared, not mine)`],
    },
    {
      name: 'a selector with an unknown operator',
      ingress: ingress('shop'),
      context: context(
        params({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Like' }] } }),
      ),
      expected: [
        'spec.ingressClassName',
        'whose spec.namespaceSelector.matchExpressions.0.operator is invalid',
      ],
    },
    {
      name: 'a group without a name',
      ingress: ingress('shop'),
      context: context(params({ group: {} })),
      expected: ['spec.ingressClassName', 'whose spec.group.name is invalid'],
    },
    {
      name: 'a spec field slbc does not implement',
      ingress: ingress('shop'),
      context: context(params({ scheme: 'internal', tags: [{ key: 'a', value: 'b' }], ...SHOP_ONLY })),
      expected: ['spec.ingressClassName', 'whose spec.scheme, spec.tags slbc does not implement'],
    },
  ];

  it.each(cases)('$name', ({ ingress: subject, context: read, expected }) => {
    const match = matchClass(subject, [CLASS], config, read);
    if (expected === 'managed') {
      expect(match).toEqual({ managed: true });
      return;
    }
    expect(match).toEqual({
      unresolved: {
        kind: 'Ingress',
        namespace: subject.metadata.namespace,
        name: 'web',
        field: expected[0],
        message: expect.stringContaining(expected[1]),
      },
    });
    if ('unresolved' in match) expect(match.unresolved.message).toMatch(/^Ingress \S+\/web /);
  });

  it('a refused member keeps the group from being emptied (its load balancer is kept)', () => {
    const group = loadIngressGroup(
      { namespace: 'evil', name: 'web' },
      [ingress('evil')],
      [CLASS],
      config,
      context(params(SHOP_ONLY)),
    );
    expect(group.members).toEqual([]);
    expect(group.memberErrors.map((error) => `${error.namespace}/${error.name} ${error.field}`)).toEqual([
      'evil/web spec.ingressClassName',
    ]);
  });

  it('lists each params name the classes reference, once', () => {
    const other: IngressClass = { metadata: { name: 'plain' }, spec: { controller: 'ingress.k8s.aws/alb' } };
    expect(referencedParams([CLASS, other, { ...CLASS, metadata: { name: 'team-2' } }])).toEqual([
      'team-params',
    ]);
  });
});
