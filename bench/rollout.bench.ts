/**
 * A rolling update of REPLICAS pods (default 100) behind an ALB while the audit log runs
 * 60 s ± 30 s late (REALISTIC_AUDIT) and load balancers provision and health-check as AWS does
 * (REALISTIC_ELBV2), under 20 requests per second. Two runs of the same Deployment with a
 * 150 s preStop: with slbc's readiness gate, and without it. Figures per run, in clock time:
 *
 * - requests sent and failed (goal with the gate: 0), by status;
 * - rollout time: the first new pod created → the last new pod Ready (Deployment complete);
 * - per new pod: containers ready → registered, registered → healthy, Ready → registered;
 * - ELBv2 calls from the rollout on, against a naive controller, defined as: one
 *   RegisterTargets or DeregisterTargets call per target that changed (one per pod event, no
 *   batching) plus one full DescribeTargetHealth per targets invocation (no cache, no
 *   coalescing), gate re-checks included. Goal: at least 10× fewer.
 *
 *   npm run bench -- rollout     (REPLICAS=20 for a quick run; BENCH_TIME_SCALE, default 5)
 */
import type { LocalSystem } from '../infra/local/runtime/index.js';
import { parseScenario, type Report, runScenario } from '../infra/local/scenario/index.js';
import { type BenchTarget, peakRssMiB, writeReport } from './report.js';

const REPLICAS = Number(process.env['REPLICAS'] ?? 100);
// The audit lag, preStop and health checks run on the scaled clock: a starved process lets the
// clock run ahead of delivery, which reads as extra lag; 5 is what the system bench uses.
const TIME_SCALE = Number(process.env['BENCH_TIME_SCALE'] ?? 5);
const NODES = Math.max(3, Math.ceil(REPLICAS / 10));
const RPS = 20;
const SAMPLE_EVERY_WALL_MS = 50;

interface PodTimes {
  ip?: string;
  template?: string;
  createdAt?: number;
  containersReadyAt?: number;
  readyAt?: number;
  registeredAt?: number;
  healthyAt?: number;
  terminatingAt?: number;
  deregisteredAt?: number;
}

interface PodLike {
  metadata: {
    uid?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  status?: { podIP?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

function scenarioText(gated: boolean): string {
  const gate = gated ? 'readinessGates: [ { conditionType: slbc.k8s.aws/target-health } ]' : '';
  return `name: rollout-bench-${gated ? 'gated' : 'ungated'}
nodes: ${NODES}
audit: { deliveryDelayMs: 60000, jitterMs: 30000 }
elbv2: { provisioningMs: 120000, healthCheckJitterMs: 5000 }
steps:
  - apply: |
      apiVersion: networking.k8s.io/v1
      kind: IngressClass
      metadata: { name: alb }
      spec: { controller: ingress.k8s.aws/alb }
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: default }
      spec:
        replicas: ${REPLICAS}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            ${gate}
            terminationGracePeriodSeconds: 180
            containers:
              - name: web
                image: web
                ports: [ { name: http, containerPort: 8080 } ]
                lifecycle: { preStop: { exec: { command: [ sleep, "150" ] } } }
      ---
      apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: default }
      spec: { selector: { app: web }, ports: [ { port: 80, targetPort: http } ] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: web, namespace: default, annotations: { alb.ingress.kubernetes.io/target-type: ip } }
      spec:
        ingressClassName: alb
        rules:
          - http:
              paths: [ { path: /web, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ]
  - pause: { ms: 240000 }
  - traffic: { to: Ingress default/web, rps: ${RPS} }
    wait: false
  - pause: { ms: 10000 }
  - rollout: { deployment: default/web }
  - pause: { ms: 180000 }
  - traffic: { stop: true }
`;
}

/** Samples the cluster's pods and the target group on the wall clock: when each pod was what. */
function sampler() {
  const pods = new Map<string, PodTimes>();
  let timer: NodeJS.Timeout | undefined;
  let groups: string[] = [];
  const conditionAt = (pod: PodLike, type: string) => {
    const found = pod.status?.conditions?.find((c) => c.type === type && c.status === 'True');
    return found?.lastTransitionTime === undefined ? undefined : Date.parse(found.lastTransitionTime);
  };
  const sample = (system: LocalSystem) => {
    const now = system.aws.clock.now();
    const byIp = new Map<string, PodTimes>();
    for (const pod of system.cluster.list('Pod') as unknown as PodLike[]) {
      const uid = pod.metadata.uid ?? '';
      const times = pods.get(uid) ?? {};
      pods.set(uid, times);
      times.template ??= pod.metadata.labels?.['pod-template-hash'];
      if (pod.metadata.creationTimestamp) times.createdAt ??= Date.parse(pod.metadata.creationTimestamp);
      times.containersReadyAt ??= conditionAt(pod, 'ContainersReady');
      times.readyAt ??= conditionAt(pod, 'Ready');
      // the deletion's clock time (deletionTimestamp is that plus the grace period)
      if (pod.metadata.deletionTimestamp) times.terminatingAt ??= now;
      if (pod.status?.podIP) {
        times.ip ??= pod.status.podIP;
        byIp.set(pod.status.podIP, times);
      }
    }
    const elbv2 = system.aws.services.elbv2;
    // the group is looked up once (a dump is the whole ELBv2 state); later samples read only its targets
    if (groups.length === 0)
      groups = (elbv2.dump().targetGroups as { TargetGroupArn: string }[]).map((g) => g.TargetGroupArn);
    for (const arn of groups) {
      for (const target of elbv2.listTargets(arn)) {
        const times = byIp.get(target.id);
        if (times === undefined) continue;
        if (target.state === 'draining') {
          times.deregisteredAt ??= now;
          continue;
        }
        times.registeredAt ??= now;
        if (target.state === 'healthy') times.healthyAt ??= now;
      }
    }
  };
  return {
    start(system: LocalSystem) {
      timer ??= setInterval(() => sample(system), SAMPLE_EVERY_WALL_MS);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
    },
    pods: () => [...pods.values()],
  };
}

function stats(values: number[]) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? 0, samples: sorted.length };
}

async function run(gated: boolean) {
  const scenario = parseScenario(scenarioText(gated), { baseDir: process.cwd(), source: 'rollout-bench' });
  const watch = sampler();
  const started = performance.now();
  const report: Report = await runScenario(scenario, {
    timeScale: TIME_SCALE,
    settleTimeoutMs: 15 * 60_000,
    afterStep: (step, system) => {
      if (step.index === 0) watch.start(system);
    },
    inspect: () => watch.stop(),
  });
  watch.stop();
  const pods = watch.pods();
  const firstTemplate = pods.find((pod) => pod.createdAt !== undefined)?.template;
  const fresh = pods.filter((pod) => pod.template !== undefined && pod.template !== firstTemplate);
  const rolloutStart = Math.min(...fresh.map((pod) => pod.createdAt ?? Number.POSITIVE_INFINITY));
  const rolloutEnd = Math.max(...fresh.map((pod) => pod.readyAt ?? Number.POSITIVE_INFINITY));
  const gap = (pod: PodTimes, from: keyof PodTimes, to: keyof PodTimes) =>
    Number(pod[to]) - Number(pod[from]);
  // the rollout and what follows it: the steps from `rollout` on
  const rolloutIndex = report.steps.findIndex((step) => step.kind === 'rollout');
  const later = report.steps.slice(rolloutIndex);
  const calls = later.reduce((sum, step) => sum + Object.values(step.elbv2).reduce((a, b) => a + b, 0), 0);
  const sum = (name: string) => later.reduce((total, step) => total + (step.elbv2[name] ?? 0), 0);
  const invocations = later.reduce((total, step) => total + (step.invocations['targets'] ?? 0), 0);
  // naive: one call per target changed (each new pod registered, each old one deregistered) + a full read per invocation
  const naive = fresh.length + REPLICAS + invocations;
  return {
    gated,
    converged: report.converged,
    differences: report.differences.slice(0, 5),
    wallMs: Math.round(performance.now() - started),
    traffic: report.traffic,
    rolloutClockMs: rolloutEnd - rolloutStart,
    newPods: fresh.length,
    containersReadyToRegisteredClockMs: stats(
      fresh.map((pod) => gap(pod, 'containersReadyAt', 'registeredAt')),
    ),
    registeredToHealthyClockMs: stats(fresh.map((pod) => gap(pod, 'registeredAt', 'healthyAt'))),
    readyToRegisteredClockMs: stats(fresh.map((pod) => gap(pod, 'readyAt', 'registeredAt'))),
    terminatingToDeregisteredClockMs: stats(
      pods.filter((pod) => !fresh.includes(pod)).map((pod) => gap(pod, 'terminatingAt', 'deregisteredAt')),
    ),
    stepsWallMs: report.steps.map((step) => `${step.kind}:${step.wallMs}`).join(' '),
    elbv2: {
      calls,
      registerTargets: sum('RegisterTargets'),
      deregisterTargets: sum('DeregisterTargets'),
      describeTargetHealth: sum('DescribeTargetHealth'),
      targetsInvocations: invocations,
      naiveCalls: naive,
      fewerThanNaive: Math.round((naive / Math.max(1, calls)) * 10) / 10,
    },
  };
}

async function main(): Promise<void> {
  const gated = await run(true);
  const ungated = await run(false);
  const targets: BenchTarget[] = [
    {
      metric: 'requests failed with the gate',
      value: gated.traffic.failed,
      target: '0',
      met: gated.traffic.sent > 0 && gated.traffic.failed === 0,
    },
    {
      metric: 'ELBv2 calls, naive / slbc (gated rollout)',
      value: gated.elbv2.fewerThanNaive,
      target: '>= 10',
      met: gated.elbv2.fewerThanNaive >= 10,
    },
    {
      metric: 'both runs converged',
      value: Number(gated.converged && ungated.converged),
      target: '1',
      met: gated.converged && ungated.converged,
    },
  ];
  writeReport(
    'rollout',
    {
      replicas: REPLICAS,
      nodes: NODES,
      timeScale: TIME_SCALE,
      rps: RPS,
      audit: '60 s ± 30 s',
      preStopSeconds: 150,
      gated,
      ungated,
      gateAddsToRolloutClockMs: gated.rolloutClockMs - ungated.rolloutClockMs,
      peakRssMiB: peakRssMiB(),
    },
    targets,
  );
  if (!targets.every((target) => target.met)) process.exitCode = 1;
}

await main();
