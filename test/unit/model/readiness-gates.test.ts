import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../shared/k8s/objects.js';
import {
  combinedCondition,
  conditionFromHealth,
  gatePatch,
  needsRecheck,
  REGISTRATION_IN_PROGRESS,
  SLBC_GATE,
  type TargetHealthView,
  targetHealthGates,
} from '../../../shared/model/readiness-gates.js';

/**
 * Conformance 24 (the LBC's readiness-gate condition updates) as tables, plus slbc's own gate
 * and the combination over several target groups selecting one pod.
 */
const LBC_TYPE = 'target-health.elbv2.k8s.aws/my-tgb';
const NOW = '2026-12-05T09:00:00Z';
const EARLIER = '2026-12-05T08:00:00Z';

function gatedPod(
  gates: string[],
  conditions: { type: string; status: string; reason?: string; message?: string }[],
): Pod {
  return {
    metadata: { name: 'my-pod', namespace: 'default', uid: 'my-pod-uuid' },
    spec: { readinessGates: gates.map((conditionType) => ({ conditionType })) },
    status: { conditions: conditions.map((c) => ({ ...c, lastTransitionTime: EARLIER })) },
  };
}

describe('conformance 24: condition from one target group health', () => {
  const cases: {
    id: string;
    before: { type: string; status: string; reason?: string; message?: string }[];
    health: TargetHealthView | undefined;
    after: { type: string; status: string; reason?: string; message?: string } | undefined;
    furtherProbe: boolean;
  }[] = [
    {
      id: 'healthy-add',
      before: [{ type: 'ContainersReady', status: 'True' }],
      health: { state: 'healthy' },
      after: { type: LBC_TYPE, status: 'True' },
      furtherProbe: false,
    },
    {
      id: 'unhealthy-update',
      before: [
        {
          type: LBC_TYPE,
          status: 'False',
          reason: 'Elb.RegistrationInProgress',
          message: 'Target registration is in progress',
        },
        { type: 'ContainersReady', status: 'True' },
      ],
      health: {
        state: 'unhealthy',
        reason: 'Target.FailedHealthChecks',
        description: 'Health checks failed',
      },
      after: {
        type: LBC_TYPE,
        status: 'False',
        reason: 'Target.FailedHealthChecks',
        message: 'Health checks failed',
      },
      furtherProbe: true,
    },
    {
      id: 'nil-health',
      before: [{ type: 'ContainersReady', status: 'True' }],
      health: undefined,
      after: { type: LBC_TYPE, status: 'Unknown' },
      furtherProbe: true,
    },
    {
      id: 'registration in progress (a target just registered)',
      before: [{ type: 'ContainersReady', status: 'True' }],
      health: REGISTRATION_IN_PROGRESS,
      after: {
        type: LBC_TYPE,
        status: 'False',
        reason: 'Elb.RegistrationInProgress',
        message: 'Target registration is in progress',
      },
      furtherProbe: true,
    },
    {
      id: 'unchanged: no patch',
      before: [{ type: LBC_TYPE, status: 'True' }],
      health: { state: 'healthy' },
      after: undefined,
      furtherProbe: false,
    },
  ];
  it.each(cases)('$id', ({ before, health, after, furtherProbe }) => {
    const pod = gatedPod([LBC_TYPE], before);
    const wanted = [conditionFromHealth(LBC_TYPE, health)];
    const patch = gatePatch(pod, wanted, NOW);
    if (after === undefined) expect(patch).toEqual([]);
    else expect(patch.map(({ lastTransitionTime: _t, ...rest }) => rest)).toEqual([after]);
    expect(needsRecheck(wanted)).toBe(furtherProbe);
  });
});

describe('lastTransitionTime moves only with the status', () => {
  it.each([
    { id: 'False -> False, new reason', before: 'False', after: 'False', moved: false },
    { id: 'False -> True', before: 'False', after: 'True', moved: true },
    { id: 'absent -> False', before: undefined, after: 'False', moved: true },
  ])('$id', ({ before, after, moved }) => {
    const pod = gatedPod(
      [SLBC_GATE],
      before === undefined ? [] : [{ type: SLBC_GATE, status: before, reason: 'Elb.InitialHealthChecking' }],
    );
    const health: TargetHealthView =
      after === 'True' ? { state: 'healthy' } : { state: 'unhealthy', reason: 'Target.Timeout' };
    const [patched] = gatePatch(pod, [conditionFromHealth(SLBC_GATE, health)], NOW);
    expect(patched?.lastTransitionTime).toBe(moved ? NOW : EARLIER);
  });
});

describe('gates slbc answers', () => {
  it.each([
    { id: "slbc's gate", gates: [SLBC_GATE], answered: [SLBC_GATE] },
    { id: "the LBC's prefix", gates: [LBC_TYPE], answered: [LBC_TYPE] },
    { id: 'a foreign gate is left alone', gates: ['example.com/ready', SLBC_GATE], answered: [SLBC_GATE] },
    {
      id: "the LBC's legacy ALB-ingress prefix is not ours",
      gates: ['target-health.alb.ingress.k8s.aws/x'],
      answered: [],
    },
    { id: 'no gates', gates: [], answered: [] },
  ])('$id', ({ gates, answered }) => {
    expect(targetHealthGates(gatedPod(gates, []))).toEqual(answered);
  });
});

describe('one condition over every target group selecting the pod', () => {
  const healthy = { state: 'healthy' };
  const initial = {
    state: 'initial',
    reason: 'Elb.InitialHealthChecking',
    description: 'Initial health checks in progress',
  };
  it.each([
    {
      id: 'all healthy',
      groups: [
        ['tg-a', healthy],
        ['tg-b', healthy],
      ],
      status: 'True',
      reason: undefined,
      message: undefined,
    },
    {
      id: 'one still checking holds the pod, named',
      groups: [
        ['tg-b', initial],
        ['tg-a', healthy],
      ],
      status: 'False',
      reason: 'Elb.InitialHealthChecking',
      message: 'target group tg-b: Initial health checks in progress',
    },
    {
      id: 'not registered in one yet',
      groups: [
        ['tg-a', healthy],
        ['tg-b', undefined],
      ],
      status: 'Unknown',
      reason: undefined,
      message: 'target group tg-b: no target health yet',
    },
    {
      id: 'one group: the LBC condition as is',
      groups: [['tg-a', initial]],
      status: 'False',
      reason: 'Elb.InitialHealthChecking',
      message: 'Initial health checks in progress',
    },
    {
      id: 'no group selects it',
      groups: [],
      status: 'Unknown',
      reason: 'NoTargetGroup',
      message: 'no target group selects this pod',
    },
  ] as const)('$id', ({ groups, status, reason, message }) => {
    const condition = combinedCondition(
      SLBC_GATE,
      groups.map(([targetGroup, health]) => ({ targetGroup, health })),
    );
    expect(condition).toEqual({
      type: SLBC_GATE,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(message === undefined ? {} : { message }),
    });
  });
});
