/**
 * Rebuild after state loss (issue 14): the table wiped, then replay and resync. Deletions are
 * decided against the Kubernetes API or a tombstone, never against an empty mirror, so nothing
 * that exists is created or deleted again and the Ingress deleted long ago does not come back;
 * an event that arrives while the table is empty is not lost.
 */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

const CREATE_OR_DELETE = /^(Create|Delete)/;

describe('e2e: state loss', () => {
  it(
    'wipe, a new pod, replay and resync: no Create*/Delete* call, nothing deleted comes back, the new pod registered',
    async () => {
      // An out-of-date replay as well: the archive up to the converged state, before the delete.
      // It holds the deleted Ingress's create and not its delete, so only the Kubernetes API can
      // tell it is gone (the whole archive's replay, later, has both and could hide a recreate).
      let convergedAt = 0;
      const partialReplay: string[] = [];
      const report = await runNamed('state-loss', {
        afterStep: async (step, system) => {
          if (step.index === 0) convergedAt = system.cluster.clock.now();
          if (step.kind !== 'scale') return;
          const before = (await system.counters()).elbv2;
          const replay = await system.replay({ to: new Date(convergedAt) });
          expect(replay.state).toBe('COMPLETED');
          expect(await system.settle({ timeoutMs: 60_000 })).toBe(true);
          const after = (await system.counters()).elbv2;
          for (const [action, count] of Object.entries(after)) {
            const made = count - (before[action] ?? 0);
            if (CREATE_OR_DELETE.test(action) && made > 0) partialReplay.push(`${action} ×${made}`);
          }
        },
      });
      expect(partialReplay).toEqual([]);
      expect(report.converged, notConverged(report)).toBe(true);
      const wipe = report.steps.findIndex((step) => step.kind === 'wipe');
      expect(report.steps[wipe]?.wiped).toBeGreaterThan(0);
      const after = report.steps.slice(wipe);
      const churn = after.flatMap((step) =>
        Object.entries(step.elbv2)
          .filter(([action, count]) => CREATE_OR_DELETE.test(action) && count > 0)
          .map(([action, count]) => `step ${step.index} (${step.kind}): ${action} ×${count}`),
      );
      expect(churn).toEqual([]);
      // the replay re-sent the archive, the deleted Ingress among it
      const replay = after.find((step) => step.kind === 'replay');
      expect(replay?.busDeliveries).toBeGreaterThan(10);
      // only the live Ingress and the NLB: the deleted Ingress's ALB was not recreated
      const stacks = report.loadBalancers.map(
        (lb) => lb.tags['ingress.k8s.aws/stack'] ?? lb.tags['service.k8s.aws/stack'],
      );
      expect(stacks.sort()).toEqual(['default/edge', 'default/web']);
      // the pod started while the table was empty is registered in both target groups
      expect(report.targetGroups.map((group) => group.targets.length)).toEqual([4, 4]);
      expect(report.errors).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );
});
