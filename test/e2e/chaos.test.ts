import { describe, expect, it } from 'vitest';
import type { Report } from '../../infra/local/scenario/index.js';
import { E2E_TIMEOUT_MS, notConverged, runNamed, TIME_SCALE } from './helpers.js';

/**
 * What must not depend on chaos: the load balancers, listeners, rules, target groups and the
 * targets that serve. Volatile fields (DNS names) and draining targets (which old pods are
 * still draining depends on timing) are left out; ARNs are already names in a report.
 */
function outcome(report: Report) {
  return {
    loadBalancers: report.loadBalancers.map(({ dnsName: _dns, ...lb }) => lb),
    targetGroups: report.targetGroups.map((group) => ({
      ...group,
      targets: group.targets.filter((target) => target.state !== 'draining'),
    })),
    securityGroups: report.securityGroups,
    statusKeys: Object.keys(report.status),
    errors: report.errors,
  };
}

describe('e2e: chaos', () => {
  it(
    'a gated rollout under every chaos knob ends where the clean rollout ends, with empty DLQ and on-failure queues',
    async () => {
      const clean = await runNamed('rollout');
      // slower clock: retries and lease take-overs after crashes take clock time, and the EKS
      // token the status writer and resync sign is checked against the clock (15 minutes)
      const failures: string[] = [];
      const chaotic = await runNamed('rollout-chaos', {
        timeScale: Math.min(TIME_SCALE, 10),
        // what the on-failure destinations hold at the end, named for the failure message
        inspect: (system) => {
          for (const failed of system.failedInvocations())
            failures.push(`${failed.function} (${failed.condition}): ${failed.error}`);
        },
      });
      expect(clean.converged, notConverged(clean)).toBe(true);
      expect(chaotic.converged, notConverged(chaotic)).toBe(true);
      expect(outcome(chaotic)).toEqual(outcome(clean));
      for (const group of chaotic.targetGroups)
        for (const target of group.targets) expect(['healthy', 'draining']).toContain(target.state);
      // the knobs did fire: a run where they did nothing proves nothing
      expect(chaotic.counters.crashes).toBeGreaterThan(0);
      expect(chaotic.counters.elbv2['RegisterTargets']).toBeGreaterThanOrEqual(
        clean.counters.elbv2['RegisterTargets'] ?? 0,
      );
      // every event reached its function in the end: crashes were retried, none dead-lettered,
      // and the on-failure destinations are empty (a healed system raises no queue alarm). An
      // entry would be allowed only while its error is still recorded; the run ends with none.
      expect(chaotic.counters.dlq).toBe(0);
      expect(chaotic.errors).toEqual([]);
      expect(failures, failures.join('\n')).toEqual([]);
      expect(chaotic.counters.failedInvocations).toBe(0);
    },
    E2E_TIMEOUT_MS * 2,
  );
});
