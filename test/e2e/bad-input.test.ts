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

describe('e2e: bad input settles with one clear error', () => {
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
