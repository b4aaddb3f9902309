/**
 * The bad-input corpus (test/e2e/scenarios/bad-input/): each scenario converges within its
 * budget with one clear error naming the object and the field, and leaves no half-built stack.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../infra/local/scenario/index.js';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

const CERT_FIELD = 'metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]';

/** the settle budget of one step: a hung key fails the test instead of waiting for the timeout */
const BUDGET = { settleTimeoutMs: 30_000, healingResyncs: 1 };

function listenersOf(report: Report): [string, number, string | undefined][] {
  return (report.loadBalancers[0]?.listeners ?? []).map((listener) => [
    listener.protocol,
    listener.port,
    (listener.defaultActions as { Type?: string }[])[0]?.Type,
  ]);
}

const annotation = (name: string) => `metadata.annotations["alb.ingress.kubernetes.io/${name}"]`;

/** Ingress of bad-input/annotations.yaml → the field its one error names, and words of the message */
const BAD_ANNOTATIONS: Record<string, { field: string; says: RegExp }> = {
  'hc-path': { field: annotation('healthcheck-path'), says: /must start with "\/"/ },
  'hc-timeout': { field: annotation('healthcheck-timeout-seconds'), says: /timeout must be within/ },
  'success-codes': { field: annotation('success-codes'), says: /success codes/ },
  'tg-attr-key': { field: annotation('target-group-attributes'), says: /unknown target group attribute/ },
  'tg-attr-negative': { field: annotation('target-group-attributes'), says: /deregistration_delay/ },
  conditions: { field: annotation('conditions.web'), says: /unknown condition field/ },
  actions: { field: annotation('actions.web'), says: /unknown action type/ },
  'listen-ports': { field: annotation('listen-ports'), says: /within \[1, 65535\]/ },
  unicode: { field: 'spec.rules[0].http.paths[0]', says: /holds "é"/ },
};

describe('e2e: bad input settles with one clear error', () => {
  it(
    'each annotation family with a bad value: one error naming the Ingress and field, no load balancer for it',
    async () => {
      const report = await runNamed('bad-input/annotations', BUDGET);
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.steps.every((step) => step.settled)).toBe(true);
      const byName = new Map(report.errors.map((error) => [error.name, error]));
      expect(report.errors.map((error) => error.name).sort()).toEqual(Object.keys(BAD_ANNOTATIONS).sort());
      for (const [name, { field, says }] of Object.entries(BAD_ANNOTATIONS)) {
        const error = byName.get(name);
        expect(error, name).toMatchObject({ kind: 'Ingress', namespace: 'default', field });
        expect(error?.message, name).toMatch(says);
      }
      // only the control Ingress has a load balancer: nothing half built for a refused one
      expect(report.loadBalancers.map((lb) => lb.tags['ingress.k8s.aws/stack'])).toEqual(['default/good']);
      expect(listenersOf(report)).toEqual([['HTTP', 80, 'fixed-response']]);
      expect(report.loadBalancers[0]?.listeners[0]?.rules).toHaveLength(1);
      expect(report.counters.failedInvocations).toBe(0);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    '150 paths in one Ingress (quota 100 rules): one error on spec.rules, nothing created',
    async () => {
      const report = await runNamed('bad-input/many-paths', BUDGET);
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ kind: 'Ingress', name: 'many', field: 'spec.rules' });
      expect(report.errors[0]?.message).toMatch(/needs 150 listener rule\(s\) but only 100/);
      expect(report.loadBalancers).toEqual([]);
      expect(
        Object.keys(report.counters.elbv2).filter((action) => /^(Create|Delete|Modify)/.test(action)),
      ).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'a missing certificate: ModifyListener refused once, recorded on the Ingress field, both listeners keep serving',
    async () => {
      const report = await runNamed('bad-input/certificate', BUDGET);
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.steps.every((step) => step.settled)).toBe(true);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({
        kind: 'Ingress',
        namespace: 'default',
        name: 'secure',
        field: CERT_FIELD,
      });
      expect(report.errors[0]?.message).toMatch(/CertificateNotFound/);
      // the change step: one refused call, not a hot retry; nothing created or deleted
      const change = report.steps[1]?.elbv2 ?? {};
      expect(change['ModifyListener']).toBe(1);
      expect(Object.keys(change).filter((action) => /^(Create|Delete)/.test(action))).toEqual([]);
      expect(listenersOf(report)).toEqual([
        ['HTTP', 80, 'redirect'],
        ['HTTPS', 443, 'fixed-response'],
      ]);
      expect(report.counters.failedInvocations).toBe(0);
      expect(report.healingResyncs).toBe(0);
    },
    E2E_TIMEOUT_MS,
  );
});
