/**
 * In-process Lambda functions that rules target by ARN. A handler gets the payload and a
 * context shaped like Lambda's; its deadline runs on the service clock, so a scaled or
 * virtual clock speeds timeouts up along with everything else.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../context.js';
import { Slots } from '../slots.js';

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown> | unknown;

export interface LambdaOptions {
  /** Lambda's function timeout; 60 s unless told (serverless.yml sets the real ones) */
  timeoutMs?: number;
  /**
   * reserved concurrency: at most this many invocations run at once; the rest wait their turn,
   * as events wait in Lambda's asynchronous queue (unlimited unless told)
   */
  concurrency?: number;
}

/** why an invocation failed, in the words an EventBridge DLQ message's ERROR_CODE uses */
export class InvocationError extends Error {
  override readonly name = 'InvocationError';
  constructor(
    readonly code: 'NO_RESOURCE' | 'TIMEOUT' | 'FUNCTION_ERROR',
    message: string,
  ) {
    super(message);
  }
}

interface Registered {
  handler: LambdaHandler;
  timeoutMs: number;
  slots: Slots;
}

export class LambdaRegistry {
  private readonly functions = new Map<string, Registered>();

  constructor(
    private readonly clock: Clock,
    private readonly region: string,
    private readonly account: string,
    private readonly defaults: LambdaOptions = {},
  ) {}

  register(name: string, handler: LambdaHandler, options: LambdaOptions = {}): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
      throw new TypeError(`registerLambda: function name "${name}" must be 1-64 of A-Z a-z 0-9 _ -`);
    const concurrency = options.concurrency ?? this.defaults.concurrency ?? Number.POSITIVE_INFINITY;
    if (!(concurrency >= 1)) throw new TypeError(`registerLambda ${name}: concurrency must be at least 1`);
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0)) throw new TypeError(`registerLambda ${name}: timeoutMs must be positive`);
    this.functions.set(name, { handler, timeoutMs, slots: new Slots(concurrency) });
  }

  unregister(name: string): void {
    this.functions.delete(name);
  }

  names(): string[] {
    return [...this.functions.keys()];
  }

  /** runs the function once; rejects with an InvocationError saying why it failed */
  async invoke(name: string, arn: string, payload: unknown): Promise<unknown> {
    const fn = this.functions.get(name);
    if (!fn) throw new InvocationError('NO_RESOURCE', `Function not found: ${arn}`);
    await fn.slots.acquire();
    try {
      return await this.run(name, arn, fn, payload);
    } finally {
      fn.slots.release();
    }
  }

  private async run(name: string, arn: string, fn: Registered, payload: unknown): Promise<unknown> {
    const deadline = this.clock.now() + fn.timeoutMs;
    const context: LambdaContext = {
      awsRequestId: randomUUID(),
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: arn,
      memoryLimitInMB: '1024',
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/${this.region}/${this.account}`,
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - this.clock.now()),
    };
    let cancelTimeout = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancelTimeout = this.clock.setTimer(fn.timeoutMs, () =>
        reject(
          new InvocationError('TIMEOUT', `Task timed out after ${(fn.timeoutMs / 1000).toFixed(2)} seconds`),
        ),
      );
    });
    try {
      return await Promise.race([Promise.resolve().then(() => fn.handler(payload, context)), timeout]);
    } catch (error) {
      if (error instanceof InvocationError) throw error;
      throw new InvocationError('FUNCTION_ERROR', error instanceof Error ? error.message : String(error));
    } finally {
      cancelTimeout();
    }
  }
}
