import { describe, expect, it } from 'vitest';
import type { Action } from '../../../../shared/model/stack.js';
import { RESOURCE_TYPES, ref } from '../../../../shared/model/stack.js';
import { holdFor, withFillingGroups } from '../../../../shared/plan/stack/filling-groups.js';
import type { ActualTargetGroup } from '../../../../shared/plan/stack-actual.js';

const group = (name: string, healthyTargets?: number) =>
  ({
    arn: `arn:tg/${name}`,
    name,
    ...(healthyTargets === undefined ? {} : { healthyTargets }),
  }) as ActualTargetGroup;

describe('holdFor: which old group keeps serving while its replacement fills', () => {
  const cases: {
    name: string;
    found?: ActualTargetGroup;
    others: ActualTargetGroup[];
    serving?: string;
  }[] = [
    {
      name: 'no replacement: the compatible group, health unknown',
      found: group('new'),
      others: [],
      serving: undefined,
    },
    {
      name: 'the new group has a healthy target: no hold',
      found: group('new', 1),
      others: [group('old', 2)],
    },
    {
      name: 'the new group not yet healthy: the old one serves',
      found: group('new', 0),
      others: [group('old', 2)],
      serving: 'old',
    },
    { name: 'the pass creating the replacement: the old one serves', others: [group('old')], serving: 'old' },
    {
      name: 'the old group has no healthy target either: nothing to wait for',
      found: group('new', 0),
      others: [group('old', 0)],
    },
    { name: 'no group at all: nothing to hold', others: [] },
  ];
  it.each(cases)('$name', ({ found, others, serving }) => {
    const candidates = found ? [found, ...others] : others;
    expect(holdFor(found, candidates)?.name).toBe(serving);
  });
});

describe('withFillingGroups', () => {
  const tgRef = ref(RESOURCE_TYPES.targetGroup, 'web', 'targetGroupARN');
  const other = ref(RESOURCE_TYPES.targetGroup, 'api', 'targetGroupARN');
  const forward = (weight?: number): Action[] => [
    {
      type: 'forward',
      forwardConfig: {
        targetGroups: [
          { targetGroupARN: tgRef, ...(weight === undefined ? {} : { weight }) },
          { targetGroupARN: other },
        ],
      },
    },
  ];
  const holds = new Map([[tgRef.$ref, { serving: 'arn:tg/old', filling: tgRef }]]);

  it('a held group: the old one at its weight (1 when unset) and the new one at weight 0; others untouched', () => {
    expect(withFillingGroups(forward(), holds)).toEqual([
      {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { targetGroupARN: 'arn:tg/old', weight: 1 },
            { targetGroupARN: tgRef, weight: 0 },
            { targetGroupARN: other },
          ],
        },
      },
    ]);
    expect(withFillingGroups(forward(3), holds)[0]).toMatchObject({
      forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:tg/old', weight: 3 }, { weight: 0 }, {}] },
    });
  });

  it('no hold: the same actions, not a copy', () => {
    const actions = forward();
    expect(withFillingGroups(actions, new Map())).toBe(actions);
  });
});
