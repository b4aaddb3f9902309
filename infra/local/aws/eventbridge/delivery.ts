/**
 * Delivering a matched event to one rule target, as EventBridge does: asynchronously (the
 * PutEvents call never waits), retried with exponential backoff on the service clock under
 * the target's RetryPolicy (AWS default: 185 attempts, 24 hours), then handed to the
 * target's dead-letter queue, or dropped and counted when it has none.
 *
 * Locally, EventBridge's retries and Lambda's own asynchronous retries are one loop: a
 * function error is retried under the target's RetryPolicy. Backoff has no jitter, so tests
 * and benchmarks replay deterministically.
 */
import type { Clock } from '../context.js';
import { lambdaFunctionName } from './arns.js';
import type { InFlight } from './in-flight.js';
import { InvocationError, type LambdaRegistry } from './lambdas.js';
import type { EventEnvelope, Target } from './model.js';
import { targetPayload } from './transform.js';

export const DEFAULT_RETRY_ATTEMPTS = 185;
export const DEFAULT_EVENT_AGE_SECONDS = 86_400;

export interface DeliveryOptions {
  /** delay before the first retry; doubles each time (default 1 s of clock time) */
  baseRetryDelayMs?: number;
  /** ceiling of the backoff (default 60 s of clock time) */
  maxRetryDelayMs?: number;
  /**
   * at-least-once made visible: each delivery is made twice with this probability (0..1,
   * default 0), so handlers can be tested for idempotency
   */
  duplicateRate?: number;
  /**
   * no particular order made visible: each first attempt waits a random 0..N ms of clock time
   * (default 0: in order of arrival); with a virtual clock, advance it
   */
  reorderWindowMs?: number;
  /** seed of the generator behind duplicateRate and reorderWindowMs (default 1) */
  seed?: number;
}

/** checks options once, at construction, so a typo fails loudly instead of silently doing nothing */
export function checkDeliveryOptions(options: DeliveryOptions): void {
  const inRange = (name: keyof DeliveryOptions, min: number, max: number) => {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value >= min && value <= max))
      throw new TypeError(
        `EventBridge option ${name} must be a number from ${min} to ${max}, got ${String(value)}`,
      );
  };
  inRange('baseRetryDelayMs', 0, 86_400_000);
  inRange('maxRetryDelayMs', 0, 86_400_000);
  inRange('duplicateRate', 0, 1);
  inRange('reorderWindowMs', 0, 86_400_000);
  inRange('seed', -(2 ** 31), 2 ** 32);
}

/** mulberry32: small, fast and reproducible; this is about test runs, not cryptography */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DeadLetter {
  queueArn: string;
  event: EventEnvelope;
  ruleName: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  /** the last attempt's error message */
  error: string;
  errorCode: string;
  attempts: number;
  exhaustedCondition: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';
  /** epoch ms on the service clock */
  deadLetteredAt: number;
  /** the SQS message attributes EventBridge sets on a dead-lettered event (eb-rule-dlq) */
  attributes: {
    RULE_ARN: string;
    TARGET_ARN: string;
    ERROR_CODE: string;
    ERROR_MESSAGE: string;
    EXHAUSTED_RETRY_CONDITION: string;
    RETRY_ATTEMPTS: string;
  };
}

export interface DeliveryCounters {
  invocations: number;
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  /** gave up on with no dead-letter queue to keep the event */
  dropped: number;
  /** extra deliveries made by duplicateRate */
  duplicated: number;
}

export interface DeliveryJob {
  event: EventEnvelope;
  ruleName: string;
  ruleArn: string;
  target: Target;
  /** when EventBridge accepted the event: MaximumEventAgeInSeconds counts from here */
  receivedAt: number;
}

export class Delivery {
  readonly counters: DeliveryCounters = {
    invocations: 0,
    delivered: 0,
    failedAttempts: 0,
    deadLettered: 0,
    dropped: 0,
    duplicated: 0,
  };
  private readonly random: () => number;
  private readonly letters: DeadLetter[] = [];
  /** cancel function → release of each retry waiting on the clock */
  private readonly timers = new Map<() => void, () => void>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly lambdas: LambdaRegistry,
    private readonly inFlight: InFlight,
    private readonly options: DeliveryOptions = {},
  ) {
    checkDeliveryOptions(options);
    this.random = seededRandom(options.seed ?? 1);
  }

  /** starts delivering; returns at once */
  deliver(job: DeliveryJob): void {
    if (this.stopped) return;
    this.start(job);
    if ((this.options.duplicateRate ?? 0) > 0 && this.random() < (this.options.duplicateRate ?? 0)) {
      this.counters.duplicated++;
      this.start(job);
    }
  }

  private start(job: DeliveryJob): void {
    const release = this.inFlight.hold();
    const window = this.options.reorderWindowMs ?? 0;
    if (window === 0) {
      // the first attempt runs after the current call returns, never inside PutEvents
      setImmediate(() => void this.attempt(job, 1, release));
      return;
    }
    const cancel = this.clock.setTimer(Math.floor(this.random() * (window + 1)), () => {
      this.timers.delete(cancel);
      void this.attempt(job, 1, release);
    });
    this.timers.set(cancel, release);
  }

  deadLetters(queueArn?: string): DeadLetter[] {
    return this.letters.filter((letter) => queueArn === undefined || letter.queueArn === queueArn);
  }

  stop(): void {
    this.stopped = true;
    for (const [cancel, release] of this.timers) {
      cancel();
      release();
    }
    this.timers.clear();
  }

  private async attempt(job: DeliveryJob, attempt: number, release: () => void): Promise<void> {
    if (this.stopped) return release();
    const { target } = job;
    this.counters.invocations++;
    try {
      const name = lambdaFunctionName(target.arn);
      if (name === undefined)
        throw new InvocationError('NO_RESOURCE', `Target ${target.arn} is not a Lambda function`);
      const facts = { ruleArn: job.ruleArn, ruleName: job.ruleName, receivedAt: job.receivedAt };
      await this.lambdas.invoke(name, target.arn, targetPayload(job.event, target, facts));
      this.counters.delivered++;
      release();
    } catch (error) {
      this.counters.failedAttempts++;
      const failure =
        error instanceof InvocationError ? error : new InvocationError('FUNCTION_ERROR', String(error));
      this.retryOrGiveUp(job, attempt, failure, release);
    }
  }

  private retryOrGiveUp(
    job: DeliveryJob,
    attempt: number,
    failure: InvocationError,
    release: () => void,
  ): void {
    const maxRetries = job.target.retryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    const maxAgeMs = (job.target.retryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_AGE_SECONDS) * 1000;
    if (attempt > maxRetries) {
      this.giveUp(job, attempt, failure, 'MaximumRetryAttempts', release);
      return;
    }
    const base = this.options.baseRetryDelayMs ?? 1000;
    const delay = Math.min(this.options.maxRetryDelayMs ?? 60_000, base * 2 ** (attempt - 1));
    if (this.clock.now() + delay - job.receivedAt > maxAgeMs) {
      this.giveUp(job, attempt, failure, 'MaximumEventAgeInSeconds', release);
      return;
    }
    const cancel = this.clock.setTimer(delay, () => {
      this.timers.delete(cancel);
      void this.attempt(job, attempt + 1, release);
    });
    this.timers.set(cancel, release);
  }

  private giveUp(
    job: DeliveryJob,
    attempts: number,
    failure: InvocationError,
    exhaustedCondition: DeadLetter['exhaustedCondition'],
    release: () => void,
  ): void {
    const queueArn = job.target.deadLetterArn;
    if (queueArn === undefined) {
      this.counters.dropped++;
    } else {
      this.counters.deadLettered++;
      this.letters.push({
        queueArn,
        event: job.event,
        ruleName: job.ruleName,
        ruleArn: job.ruleArn,
        targetId: job.target.id,
        targetArn: job.target.arn,
        error: failure.message,
        errorCode: failure.code,
        attempts,
        exhaustedCondition,
        deadLetteredAt: this.clock.now(),
        attributes: {
          RULE_ARN: job.ruleArn,
          TARGET_ARN: job.target.arn,
          ERROR_CODE: failure.code,
          ERROR_MESSAGE: failure.message,
          EXHAUSTED_RETRY_CONDITION: exhaustedCondition,
          // retries, not attempts: the first attempt is not a retry
          RETRY_ATTEMPTS: String(attempts - 1),
        },
      });
    }
    release();
  }
}
