/**
 * The realistic world bites, and the readiness gate answers it: a 10-pod rolling update while
 * the audit log runs 60 s ± 30 s late, under 20 requests per second through the local ALB.
 * rollout-lag.yaml (no gate, no preStop) must drop requests, so the traffic model is proven to
 * bite; rollout-gated.yaml (slbc's gate and a 150 s preStop) must drop none.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../infra/local/scenario/index.js';
import { E2E_TIMEOUT_MS, notConverged, runNamed, TIME_SCALE } from './helpers.js';

/** the totals add up, and the ALB answered from the first request (no `0`: none before it existed) */
function expectConsistentTraffic(report: Report): Report['traffic'] {
  const { traffic } = report;
  expect(traffic.sent).toBeGreaterThanOrEqual(100);
  expect(traffic.ok + traffic.failed).toBe(traffic.sent);
  expect(Object.values(traffic.byStatus).reduce((a, b) => a + b, 0)).toBe(traffic.sent);
  expect(traffic.byStatus['0'] ?? 0, JSON.stringify(traffic)).toBe(0);
  return traffic;
}

describe('traffic through a rollout while the audit log runs 60 s ± 30 s late', () => {
  it(
    'without a readiness gate or preStop, some requests fail',
    async () => {
      const report = await runNamed('rollout-lag');
      expect(report.converged, notConverged(report)).toBe(true);
      const traffic = expectConsistentTraffic(report);
      expect(traffic.failed, JSON.stringify(traffic)).toBeGreaterThan(0);
      expect((traffic.byStatus['502'] ?? 0) + (traffic.byStatus['503'] ?? 0)).toBe(traffic.failed);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'with the slbc readiness gate and a 150 s preStop, no request fails',
    async () => {
      // the clock is wall time scaled: at 50x a one-second stall of a loaded machine is 50 s of
      // audit lag the preStop did not plan for; 25x keeps the 60 s margin (150 s preStop against
      // at most 90 s of lag) clear of a CI neighbour's load
      const report = await runNamed('rollout-gated', { timeScale: Math.min(TIME_SCALE, 25) });
      expect(report.converged, notConverged(report)).toBe(true);
      const traffic = expectConsistentTraffic(report);
      expect(traffic.failed, JSON.stringify(traffic)).toBe(0);
      expect(traffic.ok).toBe(traffic.sent);
      // every new pod was let through by its gate: the rollout finished (10 new targets)
      const targets = report.targetGroups.flatMap((group) => group.targets);
      expect(targets.filter((target) => target.state === 'healthy')).toHaveLength(10);
      expect(report.counters.dlq).toBe(0);
    },
    E2E_TIMEOUT_MS,
  );
});
