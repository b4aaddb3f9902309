import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../infra/local/scenario/index.js';
import { E2E_TIMEOUT_MS, mutating, notConverged, podIps, runNamed } from './helpers.js';

function onlyGroup(report: Report) {
  expect(report.targetGroups).toHaveLength(1);
  return report.targetGroups[0]!;
}

describe('e2e: workload lifecycle', () => {
  it(
    'a rolling update of 20 pods ends with exactly the new pods registered (old ones only draining)',
    async () => {
      let before: string[] = [];
      let after: string[] = [];
      const report = await runNamed('rollout', {
        afterStep: (step, system) => {
          if (step.kind === 'apply') before = podIps(system.cluster.list('Pod'), 'web');
        },
        inspect: (system) => {
          after = podIps(system.cluster.list('Pod'), 'web');
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(before).toHaveLength(20);
      expect(after).toHaveLength(20);
      expect(after.filter((ip) => before.includes(ip))).toEqual([]);
      const group = onlyGroup(report);
      const serving = group.targets.filter((t) => t.state !== 'draining').map((t) => t.id);
      expect(serving.sort()).toEqual(after);
      for (const target of group.targets.filter((t) => t.state === 'draining'))
        expect(before).toContain(target.id);
      expect(report.steps[1]?.elbv2['RegisterTargets']).toBeGreaterThan(0);
      expect(report.steps[1]?.elbv2['DeregisterTargets']).toBeGreaterThan(0);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'scale to zero empties the target group, scaling back fills it with the new pods',
    async () => {
      const registeredAfter: string[][] = [];
      const report = await runNamed('scale-zero', {
        afterStep: async (_step, system) => {
          const topology = await system.topology();
          const groups = topology.loadBalancers.flatMap((lb) =>
            lb.listeners.flatMap((l) => l.rules.flatMap((r) => r.targetGroups)),
          );
          registeredAfter.push(
            groups.flatMap((g) => g.targets.filter((t) => t.state !== 'draining').map((t) => t.id)),
          );
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(registeredAfter.map((ids) => ids.length)).toEqual([4, 0, 3]);
      expect(mutating(report.steps[1]?.elbv2 ?? {})).toEqual({ DeregisterTargets: expect.any(Number) });
      expect(mutating(report.steps[2]?.elbv2 ?? {})).toEqual({ RegisterTargets: expect.any(Number) });
      expect(report.loadBalancers).toHaveLength(1);
      const serving = onlyGroup(report).targets.filter((t) => t.state !== 'draining');
      expect(serving.map((t) => t.state)).toEqual(['healthy', 'healthy', 'healthy']);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'deleting every object removes every load balancer, target group and security group it owned',
    async () => {
      const typesAfterApply: string[] = [];
      const report = await runNamed('delete-all', {
        afterStep: async (step, system) => {
          if (step.index === 0)
            typesAfterApply.push(...(await system.topology()).loadBalancers.map((lb) => lb.type).sort());
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(typesAfterApply).toEqual(['application', 'network']);
      expect(report.loadBalancers).toEqual([]);
      expect(report.targetGroups).toEqual([]);
      expect(report.securityGroups).toEqual([]);
      expect(report.status).toEqual({});
      // nothing left to report: errors about what was deleted by design were cleared with it
      expect(report.errors).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'replaying the whole archive makes no mutating ELBv2 call',
    async () => {
      const report = await runNamed('replay');
      expect(report.converged, notConverged(report)).toBe(true);
      const replay = report.steps.find((step) => step.kind === 'replay');
      expect(replay?.settled).toBe(true);
      // the replay re-sent the archive and the functions worked through it
      expect(replay?.busDeliveries).toBeGreaterThan(10);
      expect(replay?.invocations['targets']).toBeGreaterThan(0);
      expect(replay?.invocations['stacks']).toBeGreaterThan(0);
      expect(mutating(replay?.elbv2 ?? {})).toEqual({});
      expect(onlyGroup(report).targets.filter((t) => t.state === 'healthy')).toHaveLength(5);
    },
    E2E_TIMEOUT_MS,
  );
});

describe('e2e: the scenario file contract', () => {
  it('a bad scenario fails before running, naming the step and the field', async () => {
    const { runScenarioFile } = await import('../../infra/local/scenario/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'slbc-e2e-'));
    const reportPath = join(dir, 'report.json');
    const messages: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => messages.push(args.join(' '));
    let code: number;
    try {
      code = await runScenarioFile(join(import.meta.dirname, 'invalid', 'bad-step.yaml'), reportPath);
    } finally {
      console.error = original;
    }
    expect(code).toBe(1);
    expect(messages.join('\n')).toMatch(/^bad-step\.yaml: step 1 \(scale\): replicas: must be a number/);
    expect(() => readFileSync(reportPath)).toThrow(/ENOENT/);
  });

  it(
    'runScenarioFile writes the report and exits 0 when converged',
    async () => {
      const { runScenarioFile } = await import('../../infra/local/scenario/index.js');
      const dir = mkdtempSync(join(tmpdir(), 'slbc-e2e-'));
      writeFileSync(join(dir, 'control.json'), JSON.stringify({ awslogs: { data: controlMessage() } }));
      writeFileSync(
        join(dir, 'tiny.yaml'),
        'name: tiny\nnodes: 1\nsteps:\n  - subscription: { file: control.json }\n  - resync: {}\n',
      );
      const code = await runScenarioFile(join(dir, 'tiny.yaml'), join(dir, 'out', 'report.json'), {
        timeScale: 50,
      });
      const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
      expect(code).toBe(0);
      expect(report).toMatchObject({
        scenario: 'tiny',
        converged: true,
        loadBalancers: [],
        targetGroups: [],
      });
      expect(report.steps.map((s) => s.kind)).toEqual(['subscription', 'resync']);
      expect(report.counters.invocations['ingest']).toBeGreaterThanOrEqual(1);
      expect(report.counters.invocations['resync']).toBeGreaterThanOrEqual(1);
    },
    E2E_TIMEOUT_MS,
  );
});

/** CloudWatch Logs' CONTROL_MESSAGE, which ingest must ignore */
function controlMessage(): string {
  return gzipSync(
    JSON.stringify({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: 0, message: 'CWL CONTROL MESSAGE: Checking health of destination' }],
    }),
  ).toString('base64');
}
