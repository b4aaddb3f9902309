import { describe, expect, it } from 'vitest';
import {
  ClusterChangeDetailSchema,
  DETAIL_TYPES,
  detailTypeFor,
  ROUTES,
  TargetGroupBoundDetailSchema,
} from '../../shared/events/contract.js';

const base = {
  version: 1,
  cluster: 'demo',
  kind: 'Pod',
  namespace: 'default',
  name: 'web-1',
  verb: 'create',
  observedAt: '2026-11-26T10:00:00.000000Z',
  auditId: 'a1',
  logEventId: 'l1',
} as const;

describe('event contract', () => {
  it('accepts a version-1 cluster change and rejects other versions', () => {
    expect(ClusterChangeDetailSchema.parse(base).name).toBe('web-1');
    const wrong = ClusterChangeDetailSchema.safeParse({ ...base, version: 2 });
    expect(wrong.success).toBe(false);
  });

  it('names the missing field', () => {
    const { cluster: _omit, ...rest } = base;
    const result = ClusterChangeDetailSchema.safeParse(rest);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cluster']);
  });

  it.each([
    [{ kind: 'Pod' as const }, DETAIL_TYPES.Pod],
    [{ kind: 'Pod' as const, subresource: 'status', patch: {} }, DETAIL_TYPES.PodStatus],
    [{ kind: 'Ingress' as const, subresource: 'status' }, DETAIL_TYPES.Ingress],
    [{ kind: 'Endpoints' as const }, DETAIL_TYPES.Endpoints],
  ])('detail-type of %j is %s', (detail, expected) => {
    expect(detailTypeFor(detail)).toBe(expected);
  });

  it('routes every detail-type to at least one function', () => {
    const routed = new Set<string>([...ROUTES.targets, ...ROUTES.stacks]);
    for (const type of Object.values(DETAIL_TYPES)) expect(routed.has(type)).toBe(true);
  });

  it('validates a target group bound event', () => {
    const ok = TargetGroupBoundDetailSchema.safeParse({
      version: 1,
      cluster: 'demo',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/k8s-x/abc',
      stackKey: 'service/default/api',
      service: { namespace: 'default', name: 'api', port: 80 },
      targetType: 'ip',
      observedAt: '2026-11-26T10:00:00Z',
    });
    expect(ok.success).toBe(true);
  });
});
