/**
 * Lambda's asynchronous invocation, in process. EventBridge rules, the resync schedule and the
 * CloudWatch Logs subscription all invoke slbc's functions asynchronously: Lambda takes the
 * event into its queue at once, then runs the function, retries a failed run after about one
 * and then two minutes (up to the function's maximumRetryAttempts, while the event is younger
 * than maximumEventAge), and finally hands the event to the on-failure destination. Locally the
 * destination is a list the CLI and tests read. Waits run on the system clock.
 *
 * Lambda runs at most the account's concurrency (1,000 by default) at once across all functions;
 * invocations beyond it wait in the async queue as events. The local runtime keeps that limit
 * (`concurrency`), so a burst of thousands of events is a queue of events, not thousands of
 * invocations under way in the one process.
 *
 * Crash chaos lives here too: an attempt may be doomed; the client middleware (./clients.ts)
 * then kills it right after its first successful mutating AWS call, as a Lambda whose sandbox
 * dies mid-invocation would.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../aws/index.js';
import { Slots } from '../aws/slots.js';
import type { FailedInvocation } from './system.js';

/** what an attempt carries through every await, so client middleware can find it */
export interface Attempt {
  readonly functionName: string;
  /** this attempt must die after its first successful mutating call */
  readonly doomed: boolean;
  /** set once it died; every later call of the attempt fails as well */
  crashed: boolean;
}

export const currentAttempt = new AsyncLocalStorage<Attempt>();

export class CrashError extends Error {
  override readonly name = 'CrashError';
}

export interface FunctionSettings {
  /** retries after the first attempt (serverless.yml maximumRetryAttempts; Lambda's default 2) */
  maximumRetryAttempts: number;
  /** seconds an event may wait for a retry (maximumEventAge; Lambda's default 6 hours) */
  maximumEventAgeSeconds: number;
}

export type FunctionHandler = (event: unknown) => Promise<unknown>;

/** Lambda waits about a minute before the first retry and two before the second. */
const RETRY_DELAYS_MS = [60_000, 120_000];

export interface InvokerOptions {
  clock: Clock;
  /** 0..1: chance an attempt is doomed to crash */
  crashRate: number;
  random: () => number;
  onLog: (line: string) => void;
  /** attempts of all functions running at once (default Lambda's account quota); the rest wait */
  concurrency?: number;
}

/** Lambda's default concurrent executions per account and Region */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

export class AsyncInvoker {
  private readonly functions = new Map<string, { handler: FunctionHandler; settings: FunctionSettings }>();
  /** the account's concurrency, shared by every function */
  private readonly slots: Slots;
  private readonly running = new Set<Promise<void>>();
  /** every invocation under way (enqueued or direct), so stop() can wait for them */
  private readonly active = new Set<Promise<boolean>>();
  /** wakes the retry waits, so a stopping runtime does not wait a Lambda minute */
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private readonly failures: FailedInvocation[] = [];
  readonly invocations: Record<string, number> = {};
  crashes = 0;

  constructor(private readonly options: InvokerOptions) {
    this.slots = new Slots(options.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
  }

  register(name: string, handler: FunctionHandler, settings: FunctionSettings): void {
    this.functions.set(name, { handler, settings });
    this.invocations[name] ??= 0;
  }

  /** Invoke with InvocationType Event: returns once queued; the outcome is tracked, not returned. */
  enqueue(name: string, event: unknown): void {
    const run = this.invoke(name, event).then(
      () => undefined,
      () => undefined,
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Runs the function with async retries; resolves true on success, false once it went to on-failure. */
  invoke(name: string, event: unknown): Promise<boolean> {
    const fn = this.functions.get(name);
    if (!fn) return Promise.reject(new Error(`local runtime: no function named ${name} is registered`));
    if (this.stopped) return Promise.reject(new Error(`local runtime stopped: ${name} not invoked`));
    const run = this.attempts(name, fn, event);
    this.active.add(run);
    const forget = () => this.active.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * Shutdown: no new invocation or retry starts, retries waiting on the clock are abandoned (the
   * process is ending: nothing would run them), and the attempts already running are awaited,
   * so none of them is left calling an endpoint that is being torn down.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    await Promise.allSettled([...this.active]);
  }

  private async attempts(
    name: string,
    fn: { handler: FunctionHandler; settings: FunctionSettings },
    event: unknown,
  ): Promise<boolean> {
    const { clock } = this.options;
    const queuedAt = clock.now();
    const maxAttempts = 1 + fn.settings.maximumRetryAttempts;
    let lastError = '';
    let condition = 'MaximumRetryAttempts';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        await this.sleep(RETRY_DELAYS_MS[attempt - 2] ?? 120_000);
        if (this.stopped) return false;
        if (clock.now() - queuedAt > fn.settings.maximumEventAgeSeconds * 1000) {
          condition = 'MaximumEventAgeInSeconds';
          break;
        }
      }
      await this.slots.acquire();
      if (this.stopped) {
        this.slots.release();
        return false;
      }
      this.invocations[name] = (this.invocations[name] ?? 0) + 1;
      const state: Attempt = {
        functionName: name,
        doomed: this.options.crashRate > 0 && this.options.random() < this.options.crashRate,
        crashed: false,
      };
      try {
        await currentAttempt.run(state, () => fn.handler(event));
        // a handler that swallowed the crash error still died: its sandbox is gone
        if (!state.crashed) return true;
        lastError = 'crashed after its first mutating call (chaos)';
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      } finally {
        this.slots.release();
      }
      if (state.crashed) this.crashes++;
      this.options.onLog(`${name}: attempt ${attempt}/${maxAttempts} failed: ${lastError}`);
    }
    this.failures.push({
      function: name,
      time: clock.now(),
      attempts: maxAttempts,
      error: lastError,
      condition,
      event,
    });
    this.options.onLog(`${name}: gave up after ${condition}; event sent to the on-failure destination`);
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        cancel();
        this.sleepers.delete(wake);
        resolve();
      };
      const cancel = this.options.clock.setTimer(ms, wake);
      this.sleepers.add(wake);
    });
  }

  /** invocations queued or running, retries waiting included */
  get inFlight(): number {
    return this.running.size;
  }

  /** attempts running now, and waiting for the account's concurrency */
  get load(): { running: number; queued: number } {
    return { running: this.slots.running, queued: this.slots.queued };
  }

  failed(): FailedInvocation[] {
    return [...this.failures];
  }
}

export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}
