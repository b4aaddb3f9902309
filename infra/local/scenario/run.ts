/**
 * Runs a validated scenario on a fresh LocalSystem: each step, then a settle (unless the step
 * says `wait: false`), then the final settle and the report. When the system has not converged
 * after the last step, the runner invokes resync (what the 5-minute schedule would do, only
 * sooner) a few times before giving up; the report counts those healing resyncs.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { openState } from '../../../shared/state/index.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../runtime/index.js';
import { auditSubscriptionEvent } from './audit-payload.js';
import { AwsCallFailed, makeAwsCall } from './aws-call.js';
import { readAwsState } from './aws-state.js';
import { ScenarioError } from './errors.js';
import { startProgress } from './progress.js';
import { countDelta, percentiles, type Report, type ReportError, type ReportStep } from './report.js';
import { TrafficGenerator } from './traffic.js';
import { systemTrafficWorld } from './traffic-world.js';
import type { Scenario, ScenarioStep } from './types.js';
import { wipeTable } from './wipe.js';

export interface RunOptions {
  /** clock ms per wall ms (default 20; the e2e tests use more) */
  timeScale?: number;
  seed?: number;
  /** wall ms one settle may take before the step is reported unsettled (default 120 000) */
  settleTimeoutMs?: number;
  /** after convergence, wait (wall ms, default 30 000) until no target is still `initial` */
  healthTimeoutMs?: number;
  /** resyncs after the last step while not converged (default 3) */
  healingResyncs?: number;
  /**
   * progress while the run waits (every `progressEveryMs` wall ms: dirty keys, invocations,
   * failures, recorded errors) and, when a wait runs out, the keys still unsettled and why;
   * `slbc local run` writes these to stderr (progress.ts)
   */
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** the local system's notable events (function failures, crashes) */
  onLog?: (line: string) => void;
  /** extra options for startLocalSystem */
  system?: Partial<LocalSystemOptions>;
  /** called after each step has settled, before the next starts (tests look at the system mid-run) */
  afterStep?: (step: ScenarioStep, system: LocalSystem) => Promise<void> | void;
  /** called with the running system before it stops (for benchmarks and tests that look inside) */
  inspect?: (system: LocalSystem) => Promise<void> | void;
}

// A scenario's `reorder: true` holds back this share of audit payloads so later ones overtake them.
const REORDER_CHANCE = 0.5;

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<Report> {
  const timeScale = options.timeScale ?? 20;
  const system = await startLocalSystem({
    clusterName: scenario.cluster,
    nodes: scenario.nodes,
    timeScale,
    seed: options.seed ?? 1,
    chaos: {
      duplicate: scenario.chaos.duplicate,
      reorder: scenario.chaos.reorder ? REORDER_CHANCE : 0,
      drop: scenario.chaos.drop,
      throttle: scenario.chaos.throttle,
      crash: scenario.chaos.crash,
    },
    ...options.system,
  });
  const unlisten = options.onLog ? system.onLog(options.onLog) : undefined;
  // the world's realism the scenario asks for: audit lag, load balancer provisioning, check jitter
  system.cluster.setAuditDelivery(scenario.audit);
  system.aws.services.elbv2.setWorldTiming(scenario.elbv2);
  const traffic = new TrafficGenerator(systemTrafficWorld(system));
  const settleTimeoutMs = options.settleTimeoutMs ?? 120_000;
  const started = Date.now();
  const progress = startProgress(system, options.onProgress ?? (() => {}), options.progressEveryMs);
  // a wait that ran out: the keys still dirty are named (and recorded as errors), not waited on in silence
  const settleOrReport = async (phase: string): Promise<boolean> => {
    progress.phase(phase);
    if (await system.settle({ timeoutMs: settleTimeoutMs })) return true;
    const unsettled = await progress.unsettled(settleTimeoutMs);
    options.onProgress?.(
      `${phase}: not settled within ${Math.round(settleTimeoutMs / 1000)} s; ${unsettled.length} key(s) unsettled${unsettled.map((line) => `\n  ${line}`).join('')}`,
    );
    return false;
  };
  try {
    const steps: ReportStep[] = [];
    for (const step of scenario.steps) {
      const stepStarted = Date.now();
      const before = await system.counters();
      if (step.kind === 'traffic') {
        if ('stop' in step) traffic.stop();
        else traffic.start(step.to, step.rps);
      }
      progress.phase(`step ${step.index} (${step.kind})`);
      const extra = await perform(system, step, scenario.name);
      const settled = step.wait ? await settleOrReport(`step ${step.index} (${step.kind})`) : true;
      const after = await system.counters();
      await options.afterStep?.(step, system);
      steps.push({
        index: step.index,
        kind: step.kind,
        elbv2: countDelta(before.elbv2, after.elbv2),
        busEvents: after.bus.events - before.bus.events,
        busDeliveries: after.bus.deliveries - before.bus.deliveries,
        invocations: countDelta(before.invocations, after.invocations),
        settled,
        wallMs: Date.now() - stepStarted,
        ...extra,
      });
    }
    traffic.stop(); // traffic ends with the last step
    await settleOrReport('final settle');
    let convergence = await system.convergence();
    let healingResyncs = 0;
    while (!convergence.converged && healingResyncs < (options.healingResyncs ?? 3)) {
      healingResyncs += 1;
      progress.phase(`healing resync ${healingResyncs}`);
      await system.resync();
      await settleOrReport(`healing resync ${healingResyncs}`);
      convergence = await system.convergence();
    }
    progress.stop();
    await untilHealthChecked(system, options.healthTimeoutMs ?? 30_000);
    const wallMs = Date.now() - started;
    const counters = await system.counters();
    const aws = await readAwsState({
      endpoint: system.aws.url,
      region: system.aws.region,
      clusterName: system.clusterName,
    });
    const report: Report = {
      scenario: scenario.name,
      converged: convergence.converged,
      differences: convergence.converged ? [] : convergence.differences,
      ...aws,
      status: statusHostnames(system),
      errors: await recordedErrors(system),
      kubeEvents: system.kubeEvents(),
      traffic: traffic.report(),
      counters: {
        auditLines: counters.audit.written,
        busEvents: counters.bus.events,
        dlq: counters.bus.deadLetters,
        failedInvocations: counters.failedInvocations,
        crashes: counters.crashes,
        invocations: { ingest: 0, targets: 0, stacks: 0, resync: 0, ...counters.invocations },
        elbv2: countDelta({}, counters.elbv2),
        dynamodb: {
          writeUnits: counters.dynamodb.writeUnits,
          readUnits: counters.dynamodb.readUnits,
          calls: { ...counters.dynamodb.byAction },
        },
      },
      steps,
      timeScale,
      latencyMs: {
        readyToRegistered: percentiles(counters.readyToRegisteredMs),
        publishedToRegistered: percentiles(counters.publishedToRegisteredMs),
      },
      healingResyncs,
      wallMs,
    };
    await options.inspect?.(system);
    return report;
  } finally {
    progress.stop();
    traffic.stop(); // a failed step must not leave requests ticking against a stopped system
    unlisten?.();
    await system.stop();
  }
}

/**
 * New targets answer `initial` until their health checks pass (a few intervals of clock time);
 * the report shows where they end, so wait for that, without waiting out draining.
 */
async function untilHealthChecked(system: LocalSystem, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const topology = await system.topology();
    const groups = [
      ...topology.orphanTargetGroups,
      ...topology.loadBalancers.flatMap((lb) =>
        lb.listeners.flatMap((listener) => listener.rules.flatMap((rule) => rule.targetGroups)),
      ),
    ];
    if (!groups.some((group) => group.targets.some((target) => target.state === 'initial'))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let auditSequence = 0;

/** Carries out one step; what it returns joins the step's report record. */
async function perform(
  system: LocalSystem,
  step: ScenarioStep,
  scenarioName: string,
): Promise<Pick<ReportStep, 'aws' | 'wiped'>> {
  const { cluster } = system;
  switch (step.kind) {
    case 'apply':
      system.apply(step.manifests);
      return {};
    case 'scale':
      cluster.scale(step.deployment, step.replicas);
      return {};
    case 'rollout':
      cluster.rollout(step.deployment);
      return {};
    case 'kill':
      cluster.kill(step.deployment, step.count);
      return {};
    case 'delete':
      cluster.delete(step.objectKind, step.name);
      return {};
    case 'audit':
      auditSequence += 1;
      system.deliverSubscription(
        auditSubscriptionEvent(step.lines, {
          clusterName: system.clusterName,
          account: system.aws.topology.account,
          now: system.aws.clock.now(),
          sequence: auditSequence,
        }),
      );
      return {};
    case 'subscription':
      system.deliverSubscription(step.event);
      return {};
    case 'resync':
      await system.resync();
      return {};
    case 'replay': {
      const replay = await system.replay();
      if (replay.state !== 'COMPLETED')
        throw new Error(`step ${step.index} (replay): replay ${replay.name} ended ${replay.state}`);
      return {};
    }
    case 'settle':
      return {};
    case 'aws':
      try {
        return { aws: await makeAwsCall(step, { endpoint: system.aws.url, region: system.aws.region }) };
      } catch (error) {
        if (error instanceof AwsCallFailed)
          throw new ScenarioError(
            scenarioName,
            { index: step.index, kind: step.kind },
            'action',
            error.message,
          );
        throw error;
      }
    case 'wipe':
      return { wiped: await wipe(system) };
    case 'traffic':
      return {}; // started or stopped by the runner, which owns the generator
    case 'pause':
      await new Promise<void>((resolve) => system.aws.clock.setTimer(step.ms, resolve));
      return {};
  }
}

/** `Kind/ns/name` → the first hostname in status.loadBalancer.ingress, for Ingresses and LB Services */
function statusHostnames(system: LocalSystem): Record<string, string> {
  const status: Record<string, string> = {};
  for (const kind of ['Ingress', 'Service'] as const)
    for (const object of system.cluster.list(kind)) {
      const ingress = (object as { status?: { loadBalancer?: { ingress?: { hostname?: string }[] } } }).status
        ?.loadBalancer?.ingress;
      const hostname = ingress?.find((entry) => entry.hostname)?.hostname;
      if (hostname) status[`${kind}/${object.metadata.namespace}/${object.metadata.name}`] = hostname;
    }
  return Object.fromEntries(Object.entries(status).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function wipe(system: LocalSystem): Promise<number> {
  const dynamodb = new DynamoDBClient({ endpoint: system.aws.url, region: system.aws.region });
  try {
    return await wipeTable(dynamodb, system.wiring.tableName);
  } finally {
    dynamodb.destroy();
  }
}

async function recordedErrors(system: LocalSystem): Promise<ReportError[]> {
  const dynamodb = new DynamoDBClient({ endpoint: system.aws.url, region: system.aws.region });
  try {
    const state = openState(dynamodb, system.wiring.tableName, { now: () => system.aws.clock.now() });
    const errors = await state.errors.list(system.clusterName);
    return errors.map((error) => ({
      kind: error.kind,
      ...(error.namespace === undefined ? {} : { namespace: error.namespace }),
      name: error.name,
      ...(error.field === undefined ? {} : { field: error.field }),
      message: error.message,
    }));
  } finally {
    dynamodb.destroy();
  }
}
