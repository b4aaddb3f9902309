/**
 * The local endpoint's EventBridge (JSON 1.1, target prefix `AWSEvents`): buses, rules and
 * targets, PutEvents with AWS's per-entry failures, the full event-pattern matcher, archives
 * and replays, scheduled rules, and delivery to in-process Lambda handlers with retries and
 * dead-letter queues. See docs/local-aws-eventbridge.md.
 */
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';
import { ArchiveStore } from './archive-store.js';
import * as archives from './archives.js';
import { Arns } from './arns.js';
import * as buses from './buses.js';
import { type DeadLetter, Delivery, type DeliveryCounters, type DeliveryOptions } from './delivery.js';
import { putEvents, scheduledEvent, testEventPattern } from './events.js';
import { InFlight } from './in-flight.js';
import type { Input } from './input.js';
import { type LambdaHandler, type LambdaOptions, LambdaRegistry } from './lambdas.js';
import type { Rule } from './model.js';
import * as replays from './replays.js';
import { Router, type RoutingCounters } from './routing.js';
import * as rules from './rules.js';
import { parseSchedule } from './schedule.js';
import type { State } from './state.js';
import * as tags from './tags.js';
import * as targets from './targets.js';

export type { DeadLetter, DeliveryOptions } from './delivery.js';
export type { LambdaContext, LambdaHandler, LambdaOptions } from './lambdas.js';
export type { EventEnvelope } from './model.js';
export { compilePattern, matchesPattern, validatePattern } from './pattern.js';

export interface EventBridgeOptions extends DeliveryOptions {
  /** keeps archives (definitions and events, as JSONL) in this directory across restarts */
  dataDir?: string;
  /** defaults for every registered function (timeout, reserved concurrency) */
  lambdaDefaults?: LambdaOptions;
  /**
   * the PutEvents entry size limit; 256 KB, the documented budget, unless told (AWS raised it to
   * 1 MB in 2026: pass 1048576 to emulate that)
   */
  maxEntryBytes?: number;
}

export type EventBridgeCounters = RoutingCounters & DeliveryCounters;

export interface EventBridgeService extends LocalService {
  /** makes `arn:aws:lambda:<region>:<account>:function:<name>` targets call `handler` */
  registerLambda(name: string, handler: LambdaHandler, options?: LambdaOptions): void;
  unregisterLambda(name: string): void;
  /** events given up on, per DLQ ARN (or all), oldest first */
  deadLetters(queueArn?: string): DeadLetter[];
  /** resolves when no delivery, retry or replay is in flight (with a virtual clock, advance it) */
  drain(): Promise<void>;
  /** deliveries, retries and replays not yet settled */
  pending(): number;
  counters(): EventBridgeCounters;
  dump(): unknown;
  stop(): void;
}

export function createEventBridgeService(
  ctx: ServiceContext,
  options: EventBridgeOptions = {},
): EventBridgeService {
  if (
    options.maxEntryBytes !== undefined &&
    !(
      Number.isInteger(options.maxEntryBytes) &&
      options.maxEntryBytes >= 1024 &&
      options.maxEntryBytes <= 1_048_576
    )
  )
    throw new TypeError(
      `EventBridge option maxEntryBytes must be a whole number from 1024 to 1048576, got ${options.maxEntryBytes}`,
    );
  const store = options.dataDir === undefined ? undefined : new ArchiveStore(options.dataDir);
  const state: State = {
    arns: new Arns(ctx.region, ctx.account),
    clock: ctx.clock,
    buses: new Map(),
    archives: new Map((store?.load() ?? []).map((archive) => [archive.name, archive])),
    replays: new Map(),
    ...(store ? { store } : {}),
  };
  buses.createDefaultBus(state);
  const inFlight = new InFlight();
  const lambdas = new LambdaRegistry(ctx.clock, ctx.region, ctx.account, options.lambdaDefaults);
  const delivery = new Delivery(ctx.clock, lambdas, inFlight, options);
  const router = new Router(state, delivery, (name, entry) => store?.append(name, entry));

  /** re-arms after each firing, so a schedule follows the clock (scaled or virtual) */
  const startSchedule = (rule: Rule): (() => void) => {
    const schedule = parseSchedule(rule.scheduleExpression ?? '');
    if (typeof schedule === 'string') throw new Error(schedule);
    let cancel = () => {};
    const arm = () => {
      const now = ctx.clock.now();
      const next = schedule.next(now);
      if (!Number.isFinite(next)) return;
      cancel = ctx.clock.setTimer(next - now, () => {
        router.fire(rule, scheduledEvent(state, rule));
        arm();
      });
    };
    arm();
    return () => cancel();
  };

  const actions: Record<string, (input: Input) => unknown> = {
    CreateEventBus: (input) => buses.createEventBus(state, input),
    DescribeEventBus: (input) => buses.describeEventBus(state, input),
    ListEventBuses: (input) => buses.listEventBuses(state, input),
    DeleteEventBus: (input) => buses.deleteEventBus(state, input),
    UpdateEventBus: (input) => buses.updateEventBus(state, input),
    PutRule: (input) => rules.putRule(state, input, startSchedule),
    DescribeRule: (input) => rules.describeRule(state, input),
    ListRules: (input) => rules.listRules(state, input),
    EnableRule: (input) => rules.setRuleState(state, input, 'ENABLED'),
    DisableRule: (input) => rules.setRuleState(state, input, 'DISABLED'),
    DeleteRule: (input) => rules.deleteRule(state, input),
    PutTargets: (input) => targets.putTargets(state, input),
    ListTargetsByRule: (input) => targets.listTargetsByRule(state, input),
    RemoveTargets: (input) => targets.removeTargets(state, input),
    ListRuleNamesByTarget: (input) => rules.listRuleNamesByTarget(state, input),
    TagResource: (input) => tags.tagResource(state, input),
    UntagResource: (input) => tags.untagResource(state, input),
    ListTagsForResource: (input) => tags.listTagsForResource(state, input),
    PutEvents: (input) => putEvents(state, router, input, options.maxEntryBytes),
    TestEventPattern: (input) => testEventPattern(input),
    CreateArchive: (input) => archives.createArchive(state, input),
    DescribeArchive: (input) => archives.describeArchive(state, input),
    ListArchives: (input) => archives.listArchives(state, input),
    UpdateArchive: (input) => archives.updateArchive(state, input),
    DeleteArchive: (input) => archives.deleteArchive(state, input),
    StartReplay: (input) => replays.startReplay({ state, router, inFlight }, input),
    DescribeReplay: (input) => replays.describeReplay(state, input),
    ListReplays: (input) => replays.listReplays(state, input),
    CancelReplay: (input) => replays.cancelReplay(state, input),
  };

  return {
    name: 'events',
    handle(action, input) {
      const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!run)
        throw new AwsApiError(
          'UnknownOperationException',
          `EventBridge action ${action} is not supported by the local endpoint`,
        );
      return run(input ?? {});
    },
    registerLambda: (name, handler, lambdaOptions) => lambdas.register(name, handler, lambdaOptions),
    unregisterLambda: (name) => lambdas.unregister(name),
    deadLetters: (queueArn) => delivery.deadLetters(queueArn),
    drain: () => inFlight.idle(),
    pending: () => inFlight.size,
    counters: () => ({ ...router.counters, ...delivery.counters }),
    dump: () => dumpState(state, lambdas, { ...router.counters, ...delivery.counters }, delivery),
    stop() {
      for (const bus of state.buses.values()) for (const rule of bus.rules.values()) rule.stopSchedule?.();
      replays.cancelAll(state);
      delivery.stop();
    },
  };
}

function dumpState(state: State, lambdas: LambdaRegistry, counters: EventBridgeCounters, delivery: Delivery) {
  return {
    buses: [...state.buses.values()].map((bus) => ({
      name: bus.name,
      arn: bus.arn,
      rules: [...bus.rules.values()].map((rule) => ({
        name: rule.name,
        state: rule.state,
        eventPattern: rule.eventPattern,
        scheduleExpression: rule.scheduleExpression,
        targets: [...rule.targets.values()].map((target) => ({ id: target.id, arn: target.arn })),
      })),
    })),
    archives: [...state.archives.values()].map((archive) => ({
      name: archive.name,
      source: archive.sourceBusArn,
      eventCount: archive.events.length,
    })),
    replays: [...state.replays.values()].map((replay) => ({ name: replay.name, state: replay.state })),
    lambdas: lambdas.names(),
    deadLetters: delivery.deadLetters().length,
    counters,
  };
}
