/**
 * Kubernetes Events written by the stacks function through the cluster's API (events.k8s.io/v1),
 * as the scenario report lists them (`kubeEvents`): a Warning naming the field on a broken
 * Ingress, Normal SuccessfullyReconciled on the healthy member, and on the broken one once fixed.
 */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

describe('Kubernetes Events', () => {
  it(
    'a broken Ingress gets a Warning naming the annotation; fixed, it gets SuccessfullyReconciled',
    async () => {
      const report = await runNamed('ingress-events');
      expect(report.converged, notConverged(report)).toBe(true);
      const on = (name: string) =>
        report.kubeEvents.filter(
          (event) => event.involvedObject.kind === 'Ingress' && event.involvedObject.name === name,
        );
      const warnings = on('bad').filter((event) => event.type === 'Warning');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        reason: 'FailedBuildModel',
        involvedObject: { kind: 'Ingress', namespace: 'default', name: 'bad' },
      });
      expect(warnings[0]?.message).toContain('alb.ingress.kubernetes.io/listen-ports');
      expect(
        on('bad')
          .filter((event) => event.type === 'Normal')
          .map((event) => event.reason),
      ).toEqual(['SuccessfullyReconciled']);
      // one Event per distinct (object, reason, message): repeats are counted, not duplicated
      const normalWeb = on('web').filter((event) => event.reason === 'SuccessfullyReconciled');
      expect(normalWeb).toHaveLength(1);
      expect(normalWeb[0]?.count).toBeGreaterThanOrEqual(2);
      expect(report.errors.filter((error) => error.name === 'bad')).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );
});
