/**
 * The realistic world bites: a rolling update under a late audit log, with traffic through the
 * local ALB. rollout-gated.yaml (the same with the readiness gate and a preStop) is the
 * zero-drop goal; it is asserted once the targets function patches the gate.
 */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

describe('traffic through a rollout while the audit log runs 60 s ± 30 s late', () => {
  it(
    'without a readiness gate or preStop, some requests fail',
    async () => {
      const report = await runNamed('rollout-lag');
      expect(report.converged, notConverged(report)).toBe(true);
      const { traffic } = report;
      expect(traffic.sent).toBeGreaterThanOrEqual(100);
      expect(traffic.ok + traffic.failed).toBe(traffic.sent);
      expect(Object.values(traffic.byStatus).reduce((a, b) => a + b, 0)).toBe(traffic.sent);
      // the ALB was healthy before the rollout: failures come from the rollout, not the start
      expect(traffic.byStatus['0'] ?? 0, JSON.stringify(traffic)).toBe(0);
      expect(traffic.failed, JSON.stringify(traffic)).toBeGreaterThan(0);
      expect((traffic.byStatus['502'] ?? 0) + (traffic.byStatus['503'] ?? 0)).toBe(traffic.failed);
    },
    E2E_TIMEOUT_MS,
  );
});
