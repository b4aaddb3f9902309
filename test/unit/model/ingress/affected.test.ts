import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../../../shared/k8s/objects.js';
import {
  groupsOfIngressChange,
  groupsOfIngressClassChange,
  groupsReferencingService,
  referencedServiceNames,
} from '../../../../shared/model/ingress/affected.js';
import { ingress, pathsIngress } from '../helpers.js';

const config = { ingressClass: 'alb' };
const GROUP = 'alb.ingress.kubernetes.io/group.name';
const ACTION = (name: string) => `alb.ingress.kubernetes.io/actions.${name}`;
const names = (ids: { namespace: string; name: string }[]) =>
  ids.map((id) => (id.namespace ? `${id.namespace}/${id.name}` : id.name));

/** An Ingress whose one path uses the `actions.<action>` annotation (port `use-annotation`). */
function actionIngress(name: string, action: string, annotations: Record<string, string>): Ingress {
  return ingress(name, annotations, {
    rules: [
      {
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: action, port: { name: 'use-annotation' } } },
            },
          ],
        },
      },
    ],
  });
}

const weighted = (...services: string[]) =>
  JSON.stringify({
    type: 'forward',
    forwardConfig: {
      targetGroups: services.map((serviceName) => ({ serviceName, servicePort: 80, weight: 10 })),
    },
  });

describe('groups an Ingress change touches', () => {
  const implicit = pathsIngress('ing-1', ['/a']);
  const inGroup = pathsIngress('ing-1', ['/a'], { [GROUP]: 'shared' });
  const otherClass = pathsIngress('ing-1', ['/a'], { 'kubernetes.io/ingress.class': 'nginx' });
  it.each([
    { name: 'created', before: undefined, after: implicit, groups: ['ns-1/ing-1'] },
    { name: 'deleted', before: implicit, after: undefined, groups: ['ns-1/ing-1'] },
    {
      name: 'joins an explicit group: old and new',
      before: implicit,
      after: inGroup,
      groups: ['ns-1/ing-1', 'shared'],
    },
    {
      name: 'moves to another class: the old group only',
      before: inGroup,
      after: otherClass,
      groups: ['shared'],
    },
    { name: 'not ours before or after', before: otherClass, after: otherClass, groups: [] },
  ])('$name', ({ before, after, groups }) => {
    expect(names(groupsOfIngressChange(before, after, [], config))).toEqual(groups);
  });
});

describe('Service names an Ingress routes to', () => {
  it.each([
    { name: 'a plain backend', ingress: pathsIngress('ing-1', ['/a']), services: ['svc-1'] },
    {
      name: 'a use-annotation backend names an action, not a Service',
      ingress: actionIngress('ing-1', 'split', { [ACTION('split')]: weighted('canary', 'stable') }),
      services: ['canary', 'stable'],
    },
    {
      name: 'an action no backend uses routes nowhere',
      ingress: pathsIngress('ing-1', ['/a'], { [ACTION('unused')]: weighted('canary') }),
      services: ['svc-1'],
    },
    {
      name: 'field names matched as Go does (case-insensitive)',
      ingress: actionIngress('ing-1', 'split', {
        [ACTION('split')]:
          '{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"v1","ServicePort":"80"}]}}',
      }),
      services: ['v1'],
    },
    {
      name: 'the Service name as annotation text elsewhere is no reference',
      ingress: actionIngress('ing-1', 'split', {
        [ACTION('split')]: JSON.stringify({
          type: 'fixed-response',
          fixedResponseConfig: { statusCode: '200', messageBody: '"canary"' },
        }),
      }),
      services: [],
    },
    {
      name: 'a broken action references nothing',
      ingress: actionIngress('ing-1', 'split', { [ACTION('split')]: '{"type":' }),
      services: [],
    },
  ])('$name', ({ ingress: subject, services }) => {
    expect([...referencedServiceNames(subject)].sort()).toEqual(services);
  });
});

describe('groups routing to a Service', () => {
  const viaAction = actionIngress('ing-2', 'split', {
    [GROUP]: 'shared',
    [ACTION('split')]: weighted('canary', 'svc-1'),
  });
  const ingresses = [pathsIngress('ing-1', ['/a']), viaAction, pathsIngress('ing-3', ['/b'], {}, 'other')];
  it.each([
    { name: 'a plain backend and a weighted action', service: 'svc-1', groups: ['ing-1', 'shared'] },
    { name: 'only through an action', service: 'canary', groups: ['shared'] },
    { name: 'no one', service: 'unused', groups: [] },
    { name: 'the action name itself is no Service', service: 'split', groups: [] },
  ])('$name', ({ service, groups }) => {
    const ids = groupsReferencingService({ namespace: 'ns-1', name: service }, ingresses, [], config);
    expect(ids.map((id) => id.name)).toEqual(groups);
  });
  it('Services of another namespace are not referenced', () => {
    expect(groupsReferencingService({ namespace: 'ns-2', name: 'svc-1' }, ingresses, [], config)).toEqual([]);
  });
});

describe('groups an IngressClass change touches', () => {
  const named = (name: string, className: string | undefined) =>
    ingress(name, {}, className === undefined ? {} : { ingressClassName: className });
  const ingresses = [named('a', 'alb'), named('b', undefined), named('c', 'nginx')];
  it.each([
    { name: 'those naming it and those naming none', className: 'alb', groups: ['ns-1/a', 'ns-1/b'] },
    { name: 'another class', className: 'nginx', groups: ['ns-1/b', 'ns-1/c'] },
  ])('$name', ({ className, groups }) => {
    expect(names(groupsOfIngressClassChange(className, ingresses))).toEqual(groups);
  });
});
