import { describe, expect, it } from 'vitest';
import { groupsOfIngressChange, groupsReferencingService } from '../../../shared/model/ingress/affected.js';
import { ingress, pathsIngress } from './helpers.js';

const config = { ingressClass: 'alb' };
const GROUP = 'alb.ingress.kubernetes.io/group.name';

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
    const ids = groupsOfIngressChange(before, after, [], config);
    expect(ids.map((id) => (id.namespace ? `${id.namespace}/${id.name}` : id.name))).toEqual(groups);
  });
});

describe('groups routing to a Service', () => {
  const viaAction = ingress('ing-2', {
    [GROUP]: 'shared',
    'alb.ingress.kubernetes.io/actions.split': JSON.stringify({
      type: 'forward',
      forwardConfig: {
        targetGroups: [
          { serviceName: 'canary', servicePort: 80, weight: 10 },
          { serviceName: 'svc-1', servicePort: 80, weight: 90 },
        ],
      },
    }),
  });
  const ingresses = [pathsIngress('ing-1', ['/a']), viaAction, pathsIngress('ing-3', ['/b'], {}, 'other')];
  it.each([
    { name: 'a plain backend and a weighted action', service: 'svc-1', groups: ['ing-1', 'shared'] },
    { name: 'only through an action', service: 'canary', groups: ['shared'] },
    { name: 'no one', service: 'unused', groups: [] },
  ])('$name', ({ service, groups }) => {
    const ids = groupsReferencingService({ namespace: 'ns-1', name: service }, ingresses, [], config);
    expect(ids.map((id) => id.name)).toEqual(groups);
  });
  it('Services of another namespace are not referenced', () => {
    expect(groupsReferencingService({ namespace: 'ns-2', name: 'svc-1' }, ingresses, [], config)).toEqual([]);
  });
});
