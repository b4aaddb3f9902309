/**
 * The whole system at scale: 1,000 pods in 100 Deployments behind 100 Services, 50 Ingresses in
 * 10 IngressGroups (10 ALBs, two backends per Ingress) and 30 of the Services as NLBs in IP
 * mode, applied at once and run to convergence through ingest, the bus, targets, stacks and
 * resync on the local endpoint. Figures: wall time to convergence, the counters and the work
 * per pod (invocations, DynamoDB units, ELBv2 calls: what a loaded machine cannot flatter),
 * pod Ready → registered latency (clock ms, and wall ms = clock / timeScale) with the audit
 * lag and the load balancers' creation in it, the processing latency without them (the
 * Endpoints event on the bus, or the group's Target Group Bound if later → registered), and
 * peak RSS.
 *
 *   npm run bench -- system        (SERVICES=10 for a quick run; BENCH_TIME_SCALE, default 5;
 *                                   BENCH_CONCURRENCY, invocations at once, default 1,000)
 */
import { parseScenario, type Report, runScenario } from '../infra/local/scenario/index.js';
import { peakRssMiB, writeReport } from './report.js';

const SERVICES = Number(process.env['SERVICES'] ?? 100);
const PODS_PER_SERVICE = Number(process.env['PODS_PER_SERVICE'] ?? 10);
// The EKS token resync and the status writer sign is checked against the scaled clock and
// lives 15 clock minutes; a slow clock keeps a run of a few wall minutes inside it.
const TIME_SCALE = Number(process.env['BENCH_TIME_SCALE'] ?? 5);
// invocations running at once in the local runtime (unset: its default, Lambda's account quota)
const CONCURRENCY =
  process.env['BENCH_CONCURRENCY'] === undefined ? undefined : Number(process.env['BENCH_CONCURRENCY']);
const NODES = 10;
const INGRESSES = SERVICES / 2;
const GROUP_SIZE = 5;
const NLB_FROM = Math.round(SERVICES * 0.7);
const GOAL_WALL_MS = 60_000;
const GOAL_RSS_MIB = 512;
const GOAL_PROCESSING_P99_WALL_MS = 10_000;

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

function manifests(): string {
  const docs: string[] = [
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: alb }\nspec: { controller: ingress.k8s.aws/alb }',
  ];
  for (let i = 0; i < SERVICES; i++) {
    const app = `app${String(i).padStart(3, '0')}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}, namespace: default }
spec:
  replicas: ${PODS_PER_SERVICE}
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec: { containers: [ { name: app, image: app, ports: [ { name: http, containerPort: 8080 } ] } ] }`);
    const nlb = i >= NLB_FROM;
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: default
  annotations: ${nlb ? '{ service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip }' : '{}'}
spec: { type: ${nlb ? 'LoadBalancer' : 'ClusterIP'}, selector: { app: ${app} }, ports: [ { port: 80, targetPort: http } ] }`);
  }
  for (let i = 0; i < INGRESSES; i++) {
    const first = `app${String(i).padStart(3, '0')}`;
    const second = `app${String(i + INGRESSES).padStart(3, '0')}`;
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing${String(i).padStart(3, '0')}
  namespace: default
  annotations:
    alb.ingress.kubernetes.io/group.name: group${Math.floor(i / GROUP_SIZE)}
    alb.ingress.kubernetes.io/target-type: ip
spec:
  ingressClassName: alb
  rules:
    - host: ing${i}.example.com
      http:
        paths:
          - { path: /a, pathType: Prefix, backend: { service: { name: ${first}, port: { number: 80 } } } }
          - { path: /b, pathType: Prefix, backend: { service: { name: ${second}, port: { number: 80 } } } }`);
  }
  return docs.join('\n---\n');
}

async function main(): Promise<void> {
  const text = `name: system-bench\nnodes: ${NODES}\nsteps:\n  - apply: |\n${indent(manifests(), 6)}\n`;
  const scenario = parseScenario(text, { baseDir: process.cwd(), source: 'system-bench' });
  const started = performance.now();
  const report: Report = await runScenario(scenario, {
    timeScale: TIME_SCALE,
    settleTimeoutMs: 15 * 60_000,
    ...(CONCURRENCY === undefined ? {} : { system: { concurrency: CONCURRENCY } }),
  });
  const wallMs = Math.round(performance.now() - started);
  const targets = report.targetGroups.reduce((sum, group) => sum + group.targets.length, 0);
  const latency = report.latencyMs.readyToRegistered;
  const processing = report.latencyMs.publishedToRegistered;
  const toWall = (clockMs: number) => Math.round(clockMs / TIME_SCALE);
  const pods = SERVICES * PODS_PER_SERVICE;
  const perPod = (value: number) => Math.round((value / pods) * 100) / 100;
  const { invocations, dynamodb, elbv2 } = report.counters;
  const elbv2Calls = Object.values(elbv2).reduce((sum, count) => sum + count, 0);
  const peakRss = peakRssMiB();
  writeReport(
    'system',
    {
      pods,
      services: SERVICES,
      ingresses: INGRESSES,
      nodes: NODES,
      timeScale: TIME_SCALE,
      converged: report.converged,
      differences: report.differences.slice(0, 10),
      healingResyncs: report.healingResyncs,
      convergenceWallMs: report.wallMs,
      totalWallMs: wallMs,
      loadBalancers: report.loadBalancers.length,
      targetGroups: report.targetGroups.length,
      targets,
      errors: report.errors.length,
      errorSamples: report.errors.slice(0, 10),
      counters: report.counters,
      readyToRegisteredClockMs: latency,
      readyToRegisteredWallMs: {
        p50: toWall(latency.p50),
        p99: toWall(latency.p99),
        max: toWall(latency.max),
      },
      processingClockMs: processing,
      processingWallMs: {
        p50: toWall(processing.p50),
        p99: toWall(processing.p99),
        max: toWall(processing.max),
      },
      perPod: {
        targetsInvocations: perPod(invocations['targets'] ?? 0),
        allInvocations: perPod(Object.values(invocations).reduce((sum, count) => sum + count, 0)),
        busEvents: perPod(report.counters.busEvents),
        dynamodbReadUnits: perPod(dynamodb.readUnits),
        dynamodbWriteUnits: perPod(dynamodb.writeUnits),
        dynamodbCalls: perPod(Object.values(dynamodb.calls).reduce((sum, count) => sum + count, 0)),
        elbv2Calls: perPod(elbv2Calls),
        describeTargetHealth: perPod(elbv2['DescribeTargetHealth'] ?? 0),
      },
      peakRssMiB: peakRss,
    },
    [
      {
        metric: 'converged',
        value: report.converged ? 1 : 0,
        target: '1',
        met: report.converged,
      },
      {
        metric: 'convergence wall ms',
        value: report.wallMs,
        target: `< ${GOAL_WALL_MS}`,
        met: report.wallMs < GOAL_WALL_MS,
      },
      { metric: 'peak RSS MiB', value: peakRss, target: `< ${GOAL_RSS_MIB}`, met: peakRss < GOAL_RSS_MIB },
      {
        metric: 'processing (Endpoints or Target Group Bound on the bus → registered) p99 wall ms',
        value: toWall(processing.p99),
        target: `< ${GOAL_PROCESSING_P99_WALL_MS}`,
        met: processing.samples > 0 && toWall(processing.p99) < GOAL_PROCESSING_P99_WALL_MS,
      },
    ],
  );
  if (!report.converged) process.exitCode = 1;
}

await main();
