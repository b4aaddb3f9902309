/**
 * Runs the scenario files of test/e2e/scenarios through the whole local system. The clock runs
 * E2E_TIME_SCALE times faster than the wall (default 50): health checks, draining and audit
 * delivery take clock time, so a scenario takes seconds.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, type Report, type RunOptions, runScenario } from '../../infra/local/scenario/index.js';

export const scenariosDir = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');
export const TIME_SCALE = Number(process.env['E2E_TIME_SCALE'] ?? 50);
/** per-test timeout: scenarios take seconds; this bounds a hung one */
export const E2E_TIMEOUT_MS = 180_000;

export function runNamed(name: string, options: RunOptions = {}): Promise<Report> {
  return runScenario(loadScenario(join(scenariosDir, `${name}.yaml`)), {
    timeScale: TIME_SCALE,
    settleTimeoutMs: 60_000,
    ...options,
  });
}

/** a mismatch message that says what the report held, so a failure needs no rerun */
export function notConverged(report: Report): string {
  return `${report.scenario} did not converge: ${report.differences.join('; ')}`;
}

/** IPs of the pods of a Deployment's app label, ready or not, as the cluster holds them now */
export function podIps(
  pods: { metadata: { labels?: Record<string, string> }; status?: { podIP?: string } }[],
  app: string,
): string[] {
  return pods
    .filter((pod) => pod.metadata.labels?.['app'] === app && pod.status?.podIP)
    .map((pod) => pod.status?.podIP ?? '')
    .sort();
}

const MUTATING = /^(Create|Delete|Modify|Register|Deregister|Set|AddTags|RemoveTags)/;

export function mutating(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([action]) => MUTATING.test(action)));
}
