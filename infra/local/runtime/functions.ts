/**
 * slbc's four functions as the local runtime runs them: each `createHandler` from functions/*
 * with deps built for the local endpoint (the shared runtime clients, configuration parsed from
 * the function's serverless.yml environment, time on the system clock), behind a Lambda-like
 * context. The stacks function is loaded by name so that the runtime keeps working while it is
 * still a placeholder: until it exports `createHandler`, its module's own `handler` runs (and
 * fails as that placeholder does).
 */

import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createHandler as createIngestHandler } from '../../../functions/ingest/handler.js';
import { type ResyncDeps, defaultDeps as resyncDefaults } from '../../../functions/resync/deps.js';
import { createHandler as createResyncHandler } from '../../../functions/resync/handler.js';
import {
  eksClusterVpc,
  type StacksDeps,
  defaultDeps as stacksDefaults,
} from '../../../functions/stacks/deps.js';
import { kubeStatusWriter } from '../../../functions/stacks/status-writer.js';
import { type TargetsDeps, defaultDeps as targetsDefaults } from '../../../functions/targets/deps.js';
import { createHandler as createTargetsHandler } from '../../../functions/targets/handler.js';
import { createEc2Stacks } from '../../../shared/aws/ec2-stacks.js';
import { createElbv2Stacks } from '../../../shared/aws/elbv2-stacks.js';
import { createElbv2Targets } from '../../../shared/aws/elbv2-targets.js';
import { createEventPublisher, eventBridgeSender } from '../../../shared/aws/event-publisher.js';
import { loadConfig } from '../../../shared/config.js';
import { eksKubeApi } from '../../../shared/k8s/eks-kube-api.js';
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
  // each deps object starts from the function's production defaults, so a field added there is
  // not missed here; what reaches AWS, time and configuration is then replaced
  const targetsDeps = (): TargetsDeps => {
    const base = targetsDefaults();
    return {
      ...base,
      state: openState(clients.dynamodb, targetsConfig.tableName, {
        now,
        historyDays: targetsConfig.historyDays,
      }),
      elbv2: createElbv2Targets({ elbv2: clients.elbv2, ec2: clients.ec2 }),
      config: targetsConfig,
      now,
      newOwner: randomUUID,
      settleMs: Math.max(20, Math.round(base.settleMs / options.timeScale)),
      quietMs: Math.max(10, Math.round(base.quietMs / options.timeScale)),
      targetGroupCache: new Map(),
    };
  };

  const resyncConfig = configOf('resync', wiring);
  const resyncDeps = (): ResyncDeps => ({
    ...resyncDefaults(),
    state: openState(clients.dynamodb, resyncConfig.tableName, {
      now,
      historyDays: resyncConfig.historyDays,
    }),
    publisher: publisher(resyncConfig.busName),
    kubeApiFor: eksKubeApi(clients.eks, { now }),
    config: resyncConfig,
    now,
    newRunId: randomUUID,
  });

  const stacksConfig = configOf('stacks', wiring);
  const statusWriter = kubeStatusWriter(eksKubeApi(clients.eks, { now }));
  const stacksDeps = (): StacksDeps => ({
    ...stacksDefaults(),
    state: openState(clients.dynamodb, stacksConfig.tableName, {
      now,
      historyDays: stacksConfig.historyDays,
    }),
    elbv2: createElbv2Stacks(clients.elbv2),
    ec2: createEc2Stacks(clients.ec2),
    publisher: publisher(stacksConfig.busName),
    clusterVpc: eksClusterVpc(clients.eks),
    config: stacksConfig,
    statusWriter,
    now,
    newOwner: randomUUID,
  });

  return {
    ingest: adapt('ingest', ingest as unknown as MiddyHandler, options),
    targets: adapt('targets', createTargetsHandler(targetsDeps) as unknown as MiddyHandler, options),
    resync: adapt('resync', createResyncHandler(resyncDeps) as unknown as MiddyHandler, options),
    stacks: lazyStacks(stacksDeps, options),
  };
}

type StacksModule = { createHandler?: (deps: () => StacksDeps) => unknown; handler: unknown };

function lazyStacks(deps: () => StacksDeps, options: FunctionBuildOptions): FunctionHandler {
  let loaded: Promise<FunctionHandler> | undefined;
  const load = async (): Promise<FunctionHandler> => {
    const module = (await import('../../../functions/stacks/handler.js')) as unknown as StacksModule;
    const handler = module.createHandler ? module.createHandler(deps) : module.handler;
    return adapt('stacks', handler as MiddyHandler, options);
  };
  return async (event) => {
    loaded ??= load();
    return (await loaded)(event);
  };
}
