/**
 * `slbc plan` against the state slbc (with the LBC's names and tags) made for the demo: the local
 * system runs once on the demo until converged, then plan reads the simulated cluster through a
 * kubeconfig, or the demo's manifests, and the local endpoint by tags. Read-only: the endpoint's
 * mutating call counters do not move while plan and explain run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoManifests } from '../../infra/cli/demo.js';
import { runExplain } from '../../infra/cli/explain.js';
import { writeKubeconfig } from '../../infra/cli/kubeconfig.js';
import { runPlan } from '../../infra/cli/plan.js';
import type { PlanReport } from '../../infra/cli/plan-render.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/runtime/index.js';
import { E2E_TIMEOUT_MS, TIME_SCALE } from './helpers.js';

const WRITES =
  /:(Create|Delete|Modify|Register|Deregister|Set|Add|Remove|Put|Update|Authorize|Revoke|Tag|Untag|Associate|Disassociate|Batch|Transact)/;

let system: LocalSystem;
let dir: string;
const saved: Record<string, string | undefined> = {};

async function writes(): Promise<Record<string, number>> {
  const { endpoint } = await system.counters();
  return Object.fromEntries(
    Object.entries(endpoint.byAction).filter(([action]) => WRITES.test(`:${action.split(':')[1]}`)),
  );
}

async function plan(source: { kubeconfig: string } | { manifests: string }) {
  const lines: string[] = [];
  const code = await runPlan(
    {
      name: 'plan',
      ...source,
      cluster: system.clusterName,
      stage: 'local',
      endpoint: system.aws.url,
      region: system.env['AWS_REGION'] ?? 'eu-west-1',
    },
    'json',
    (line) => lines.push(line),
  );
  return { code, report: JSON.parse(lines.join('\n')) as PlanReport };
}

beforeAll(async () => {
  system = await startLocalSystem({ timeScale: TIME_SCALE });
  for (const [key, value] of Object.entries(system.env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  system.apply(demoManifests());
  await system.settle({ timeoutMs: 60_000 });
  dir = mkdtempSync(join(tmpdir(), 'slbc-plan-'));
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await system?.stop();
  for (const [key, value] of Object.entries(saved))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('slbc plan on the demo', () => {
  it(
    'reports no changes (exit 0) through the kubeconfig and through the manifests, and writes nothing',
    async () => {
      expect(await system.converged()).toBe(true);
      const kubeconfig = writeKubeconfig(
        { clusterName: system.clusterName, server: system.kubernetesUrl, token: system.kubernetesToken },
        dir,
      );
      writeFileSync(join(dir, 'demo.yaml'), demoManifests());
      const before = await writes();
      const viaApi = await plan({ kubeconfig: kubeconfig.path });
      const viaFiles = await plan({ manifests: join(dir, 'demo.yaml') });
      expect(await writes()).toEqual(before);
      for (const { code, report } of [viaApi, viaFiles]) {
        expect(report.stacks.map((stack) => stack.stack)).toEqual(['ingress/demo', 'service/demo/echo']);
        expect(report.stacks.flatMap((stack) => stack.changes)).toEqual([]);
        expect(report.errors).toBe(0);
        expect(code).toBe(0);
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'after one annotation is edited (healthcheck-path), exactly one ModifyTargetGroup with the new path, exit 2',
    async () => {
      const edited = demoManifests().replace(
        'alb.ingress.kubernetes.io/group.order: "10"',
        'alb.ingress.kubernetes.io/group.order: "10"\n    alb.ingress.kubernetes.io/healthcheck-path: /healthz',
      );
      expect(edited).not.toBe(demoManifests());
      writeFileSync(join(dir, 'edited.yaml'), edited);
      const before = await writes();
      const { code, report } = await plan({ manifests: join(dir, 'edited.yaml') });
      expect(await writes()).toEqual(before);
      const changes = report.stacks.flatMap((stack) =>
        stack.changes.map((change) => ({ stack: stack.stack, ...change })),
      );
      expect(changes).toHaveLength(1);
      const [change] = changes;
      expect(change?.stack).toBe('ingress/demo');
      expect(change?.op).toBe('modifyTargetGroup');
      expect(change?.resource).toMatch(/^TargetGroup k8s-demo-shop-/);
      expect(change?.fields).toContainEqual({ field: 'healthCheck.path', from: '/', to: '/healthz' });
      expect(report.changes).toBe(1);
      expect(code).toBe(2);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'explain ingress names the rule and target group the Ingress produced, read-only',
    async () => {
      const before = await writes();
      const lines: string[] = [];
      const code = await runExplain(
        {
          name: 'explain',
          kind: 'ingress',
          object: 'demo/shop',
          cluster: system.clusterName,
          stage: 'local',
          endpoint: system.aws.url,
        },
        'json',
        (line) => lines.push(line),
      );
      expect(await writes()).toEqual(before);
      expect(code).toBe(0);
      const explanation = JSON.parse(lines.join('\n')) as {
        key: string;
        reasons: { resource: string; source?: string }[];
        history: { action: string }[];
      };
      expect(explanation.key).toBe(`stack#${system.clusterName}#ingress/demo`);
      expect(explanation.reasons.map((reason) => reason.source)).toEqual([
        'Ingress demo/shop',
        'Ingress demo/shop',
      ]);
      expect(explanation.reasons.map((reason) => reason.resource.split(' ')[0])).toEqual(['rule', 'target']);
      expect(explanation.history.map((entry) => entry.action)).toContain('createRule');
    },
    E2E_TIMEOUT_MS,
  );
});
