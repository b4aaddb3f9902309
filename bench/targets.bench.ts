/**
 * Target registration during a 100-replica rolling update (maxSurge 25%, maxUnavailable 0)
 * behind two target groups (one slbc created, one adopted), on the local AWS endpoint with its
 * DynamoDB. Events arrive as a burst worked by 8 concurrent invocations, as EventBridge fans
 * out to Lambda. Measured in the same run against a naive baseline that makes one ELBv2 call
 * per event and target group (register or deregister the one pod the event changes).
 *
 * Figures: ELBv2 mutating calls (target: 10x fewer than naive), DynamoDB write units per pod
 * event from ReturnConsumedCapacity (target <= 3), wall time from a pod's Ready event to the
 * RegisterTargets call that adds it, p50/p99.
 *
 *   npm run bench -- targets        (REPLICAS=20 for a quick run)
 */
import {
  DeregisterTargetsCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BusEvent, ClusterChangeDetail } from '../shared/events/contract.js';
import type { Endpoints } from '../shared/k8s/objects.js';
import { startHarness } from '../test/integration/targets/harness.js';
import { rollingUpdate } from '../test/integration/targets/scenario.js';
import { peakRssMiB, writeReport } from './report.js';

const REPLICAS = Number(process.env['REPLICAS'] ?? 100);
const CONCURRENCY = 8;
const SETTLE_MS = Number(process.env['SETTLE_MS'] ?? 5000);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const h = await startHarness({ leaseSeconds: 60, settleMs: SETTLE_MS });
  const created = await h.createTargetGroup('k8s-web-web-bench');
  const adopted = await h.createTargetGroup('external-web-bench');
  await h.bind(created, 'http', true);
  await h.bind(adopted, 80, false);
  const scenario = rollingUpdate(REPLICAS);

  for (const event of scenario.setup) await h.deliver(event);

  // when each pod's Ready event was dispatched, and when each target was first registered
  const readyAt = new Map<string, number>();
  const registeredAt = new Map<string, number>();
  const ipOfReady = new Map<string, string>();
  for (const [ip, event] of scenario.readyEvents) ipOfReady.set(event.id, ip);
  const realRegister = h.deps.elbv2.registerTargets.bind(h.deps.elbv2);
  const deps = {
    ...h.deps,
    elbv2: {
      ...h.deps.elbv2,
      registerTargets: async (arn: string, targets: Parameters<typeof realRegister>[1]) => {
        const at = performance.now();
        await realRegister(arn, targets);
        for (const target of targets) {
          const key = `${arn}|${target.Id}`;
          if (!registeredAt.has(key)) registeredAt.set(key, at);
        }
      },
    },
  };

  const mutationsBefore = h.aws.counters.snapshot().elbv2Mutations;
  const writesBefore = h.deps.state.store.capacity.writeUnits;
  const reconcilesBefore = h.metrics.get('TargetsReconciles') ?? 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < scenario.rollout.length) {
        const event = scenario.rollout[next++] as BusEvent<ClusterChangeDetail>;
        const ip = ipOfReady.get(event.id);
        if (ip !== undefined) readyAt.set(ip, performance.now());
        await h.deliver(event, deps);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const slbcMutations = h.aws.counters.snapshot().elbv2Mutations - mutationsBefore;
  const writeUnits = h.deps.state.store.capacity.writeUnits - writesBefore;
  const reconciles = (h.metrics.get('TargetsReconciles') ?? 0) - reconcilesBefore;
  const converged =
    JSON.stringify(await h.targets(created)) === JSON.stringify(scenario.finalTargets) &&
    JSON.stringify(await h.targets(adopted)) === JSON.stringify(scenario.finalTargets);

  const lags: number[] = [];
  for (const arn of [created, adopted]) {
    for (const [ip, at] of readyAt) {
      const registered = registeredAt.get(`${arn}|${ip}`);
      if (registered !== undefined) lags.push(registered - at);
    }
  }

  // the naive baseline, same stream, its own two target groups: one call per changing event
  const naiveGroups = [await h.createTargetGroup('naive-a'), await h.createTargetGroup('naive-b')];
  const elbv2 = new ElasticLoadBalancingV2Client({
    endpoint: h.aws.url,
    region: h.aws.region,
    maxAttempts: 6,
  });
  const naiveBefore = h.aws.counters.snapshot().elbv2Mutations;
  let previous = new Set<string>();
  const addresses = (event: BusEvent<ClusterChangeDetail>) =>
    new Set(
      ((event.detail.object as Endpoints | undefined)?.subsets ?? []).flatMap((s) =>
        (s.addresses ?? []).map((a) => a.ip),
      ),
    );
  for (const event of scenario.setup.filter((e) => e.detail.kind === 'Endpoints'))
    previous = addresses(event);
  for (const event of scenario.rollout) {
    if (event.detail.kind !== 'Endpoints') continue;
    const now = addresses(event);
    const added = [...now].filter((ip) => !previous.has(ip)).map((Id) => ({ Id, Port: 8080 }));
    const removed = [...previous].filter((ip) => !now.has(ip)).map((Id) => ({ Id, Port: 8080 }));
    for (const TargetGroupArn of naiveGroups) {
      if (added.length > 0) await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: added }));
      if (removed.length > 0)
        await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: removed }));
    }
    previous = now;
  }
  const naiveMutations = h.aws.counters.snapshot().elbv2Mutations - naiveBefore;
  elbv2.destroy();

  const podEvents = scenario.rollout.filter((e) => e.detail.kind === 'Pod').length;
  const figures = {
    replicas: REPLICAS,
    targetGroups: 2,
    concurrency: CONCURRENCY,
    settleMs: SETTLE_MS,
    quietMs: 500,
    rolloutEvents: scenario.rollout.length,
    podEvents,
    endpointsEvents: scenario.rollout.length - podEvents,
    converged,
    reconcilePasses: reconciles,
    elbv2MutatingCalls: slbcMutations,
    naiveElbv2MutatingCalls: naiveMutations,
    reductionVsNaive: Math.round((naiveMutations / Math.max(1, slbcMutations)) * 10) / 10,
    dynamoWriteUnits: writeUnits,
    writeUnitsPerPodEvent: Math.round((writeUnits / podEvents) * 100) / 100,
    writeUnitsPerEvent: Math.round((writeUnits / scenario.rollout.length) * 100) / 100,
    readyToRegisterP50Ms: Math.round(percentile(lags, 50)),
    readyToRegisterP99Ms: Math.round(percentile(lags, 99)),
    rolloutWallMs: Math.round(wallMs),
    peakRssMiB: peakRssMiB(),
  };
  writeReport('targets', figures, [
    {
      metric: 'ELBv2 mutating calls, naive / slbc',
      value: figures.reductionVsNaive,
      target: '>= 10',
      met: figures.reductionVsNaive >= 10,
    },
    {
      metric: 'DynamoDB write units per pod event',
      value: figures.writeUnitsPerPodEvent,
      target: '<= 3',
      met: figures.writeUnitsPerPodEvent <= 3,
    },
    {
      metric: 'converged to the new pods in both target groups',
      value: converged ? 1 : 0,
      target: '1',
      met: converged,
    },
  ]);
  await h.stop();
}

await main();
