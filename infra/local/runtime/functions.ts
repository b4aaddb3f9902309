/**
 * slbc's four functions as the local runtime runs them: the controllers of shared/reconcile
 * behind the same Lambda adapter as production (shared/lambda-handler.ts), and ingest through
 * its handler's public `createHandler`, with deps built for the local endpoint (the shared
 * runtime clients, configuration parsed from the function's serverless.yml environment, time
 * on the runtime's clock), behind a Lambda-like context.
 */

import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { createHandler as createIngestHandler } from '../../../functions/ingest/handler.js';
import { createEc2Stacks } from '../../../shared/aws/ec2-stacks.js';
import { eksClusters } from '../../../shared/aws/eks-cluster.js';
import { createElbv2Stacks } from '../../../shared/aws/elbv2-stacks.js';
import { createElbv2Targets } from '../../../shared/aws/elbv2-targets.js';
import { createEventPublisher, eventBridgeSender } from '../../../shared/aws/event-publisher.js';
import { createLoadBalancerAddons } from '../../../shared/aws/lb-addons.js';
import { sqsRecheckQueue } from '../../../shared/aws/recheck-queue.js';
import { loadConfig } from '../../../shared/config.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import { eksKubeApi } from '../../../shared/kube/eks-kube-api.js';
import { kubeEventRecorder } from '../../../shared/kube/event-recorder.js';
import { kubeStatusWriter } from '../../../shared/kube/status-writer.js';
import { lambdaHandler } from '../../../shared/lambda-handler.js';
import { logger, metrics } from '../../../shared/observability.js';
import { handleResyncEvent } from '../../../shared/reconcile/resync/pass.js';
import type { ResyncDeps } from '../../../shared/reconcile/resync/ports.js';
import { kubeClassParamsSource } from '../../../shared/reconcile/stacks/class-params-source.js';
import { kubeSecretSource } from '../../../shared/reconcile/stacks/oidc-secrets.js';
import type { StacksDeps } from '../../../shared/reconcile/stacks/ports.js';
import { processEvent as processStacksEvent } from '../../../shared/reconcile/stacks/process.js';
import { type TargetsDeps, targetsSettling } from '../../../shared/reconcile/targets/ports.js';
import { handleTargetsInput } from '../../../shared/reconcile/targets/recheck.js';
import { openState } from '../../../shared/state/index.js';
import type { Wiring } from '../../deploy/wiring.js';
import type { Clock } from '../aws/index.js';
import type { RuntimeClients } from './clients.js';
import type { FunctionHandler } from './invoker.js';

export interface FunctionBuildOptions {
  wiring: Wiring;
  clients: RuntimeClients;
  clock: Clock;
  /** deployed names, for the Lambda context */
  nameOf(fn: string): string;
  arnOf(fn: string): string;
  /**
   * clock ms per wall ms: the targets function's burst waits (settleMs, quietMs) are real-time
   * sleeps, not clock timers, so they are divided by it
   */
  timeScale: number;
  /** the targets function's re-check queue (serverless.yml's TargetsRecheckQueue) and a client for it */
  recheck?: { sqs: SQSClient; queueUrl: string };
}

type MiddyHandler = (event: never, context: Context) => Promise<unknown>;

/** A context shaped like Lambda's, enough for Powertools' injectLambdaContext. */
function lambdaContext(name: string, arn: string, timeoutMs: number, clock: Clock): Context {
  const deadline = clock.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function adapt(fn: string, handler: MiddyHandler, options: FunctionBuildOptions): FunctionHandler {
  const timeoutMs = (options.wiring.functions[fn]?.timeoutSeconds ?? 60) * 1000;
  return (event) =>
    handler(event as never, lambdaContext(options.nameOf(fn), options.arnOf(fn), timeoutMs, options.clock));
}

/** The configuration each function would parse from its own serverless.yml environment. */
function configOf(fn: string, wiring: Wiring) {
  const environment = wiring.functions[fn]?.environment;
  if (!environment) throw new Error(`serverless.yml has no function ${fn}`);
  return loadConfig(environment);
}

export function buildFunctions(options: FunctionBuildOptions): Record<string, FunctionHandler> {
  const { wiring, clients, clock } = options;
  const now = () => clock.now();
  const publisher = (busName: string) =>
    createEventPublisher({ sender: eventBridgeSender(() => clients.events), busName });

  const ingestConfig = configOf('ingest', wiring);
  const ingest = createIngestHandler({ config: ingestConfig, publisher: publisher(ingestConfig.busName) });

  const targetsConfig = configOf('targets', wiring);
  const targetsKubeApi = eksKubeApi(clients.eks, { now });
  const settling = targetsSettling(process.env);
  const targetsDeps = (): TargetsDeps => ({
    state: openState(clients.dynamodb, targetsConfig.tableName, {
      now,
      historyDays: targetsConfig.historyDays,
    }),
    elbv2: createElbv2Targets({ elbv2: clients.elbv2 }),
    config: targetsConfig,
    now,
    newOwner: randomUUID,
    settleMs: Math.max(20, Math.round(settling.settleMs / options.timeScale)),
    quietMs: Math.max(10, Math.round(settling.quietMs / options.timeScale)),
    logger,
    metrics,
    targetGroupCache: new Map(),
    targetHealthCache: new Map(),
    gates: { kubeApiFor: targetsKubeApi },
    fetchObject: async (cluster, kind, namespace, name) =>
      (await targetsKubeApi(cluster)).getObject?.(kind, namespace, name),
    ...(options.recheck === undefined
      ? {}
      : { recheck: sqsRecheckQueue(options.recheck.sqs, options.recheck.queueUrl) }),
  });

  const resyncConfig = configOf('resync', wiring);
  const resyncDeps = (): ResyncDeps => ({
    state: openState(clients.dynamodb, resyncConfig.tableName, {
      now,
      historyDays: resyncConfig.historyDays,
    }),
    publisher: publisher(resyncConfig.busName),
    kubeApiFor: eksKubeApi(clients.eks, { now }),
    config: resyncConfig,
    now,
    newRunId: randomUUID,
    logger,
    metrics,
  });

  const stacksConfig = configOf('stacks', wiring);
  const clusters = eksClusters(clients.eks);
  const stacksKubeApi = eksKubeApi(clients.eks, { now, clusters });
  const statusWriter = kubeStatusWriter(stacksKubeApi);
  const events = kubeEventRecorder(stacksKubeApi, { now, instance: 'slbc-local-stacks' });
  const stacksDeps = (): StacksDeps => ({
    state: openState(clients.dynamodb, stacksConfig.tableName, {
      now,
      historyDays: stacksConfig.historyDays,
    }),
    elbv2: createElbv2Stacks(clients.elbv2),
    ec2: createEc2Stacks(clients.ec2),
    addons: createLoadBalancerAddons({ wafv2: clients.wafv2, shield: clients.shield }),
    secrets: kubeSecretSource(eksKubeApi(clients.eks, { now, clusters })),
    classParams: kubeClassParamsSource(eksKubeApi(clients.eks, { now, clusters })),
    publisher: publisher(stacksConfig.busName),
    clusterVpc: clusters.vpcId,
    config: stacksConfig,
    statusWriter,
    fetchObject: async (cluster, kind, namespace, name) =>
      (await stacksKubeApi(cluster)).getObject?.(kind, namespace, name),
    events,
    now,
    newOwner: randomUUID,
    logger,
    metrics,
  });

  const targets = lambdaHandler(targetsDeps, (deps, event: BusEvent | SQSEvent) =>
    handleTargetsInput(deps, event),
  );
  const stacks = lambdaHandler(stacksDeps, (deps, event: BusEvent) => processStacksEvent(deps, event));
  const resync = lambdaHandler(resyncDeps, (deps, event: unknown) => handleResyncEvent(deps, event));
  return {
    ingest: adapt('ingest', ingest as unknown as MiddyHandler, options),
    targets: adapt('targets', targets as unknown as MiddyHandler, options),
    resync: adapt('resync', resync as unknown as MiddyHandler, options),
    stacks: adapt('stacks', stacks as unknown as MiddyHandler, options),
  };
}
