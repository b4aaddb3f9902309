import { AwsApiError } from '../../../infra/local/aws/api-error.js';
import { type Clock, type ServiceContext, virtualClock } from '../../../infra/local/aws/context.js';
import {
  createEventBridgeService,
  type EventBridgeOptions,
  type EventBridgeService,
} from '../../../infra/local/aws/eventbridge/index.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;

export function contextWith(clock: Clock): ServiceContext {
  return {
    account: ACCOUNT,
    region: REGION,
    clock,
    topology: {
      account: ACCOUNT,
      region: REGION,
      vpc: { id: 'vpc-1', cidr: '10.0.0.0/16' },
      subnets: [],
      clusters: [],
    },
  };
}

export function harness(options: EventBridgeOptions = {}) {
  const clock = virtualClock(Date.parse('2026-03-01T12:00:00Z'));
  const service = createEventBridgeService(contextWith(clock), options);
  // biome-ignore lint/suspicious/noExplicitAny: tests read API responses field by field
  const call = async (action: string, input: Record<string, unknown> = {}): Promise<any> =>
    service.handle(action, input);
  /** lets queued deliveries run, advancing virtual time while retries wait on it */
  const settle = async (stepMs = 60_000, maxSteps = 10_000) => {
    for (let step = 0; step < maxSteps; step++) {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      if (service.pending() === 0) return;
      clock.advance(stepMs);
    }
    throw new Error(`still ${service.pending()} in flight after ${maxSteps} steps`);
  };
  return { clock, service, call, settle };
}

/** a recording Lambda handler: `fail` decides per attempt (1-based) whether to throw */
export function recorder(
  service: EventBridgeService,
  name: string,
  fail: (attempt: number) => boolean = () => false,
) {
  const received: unknown[] = [];
  let attempts = 0;
  service.registerLambda(name, async (event) => {
    attempts++;
    if (fail(attempts)) throw new Error(`${name} failed attempt ${attempts}`);
    received.push(event);
  });
  return { received, attempts: () => attempts };
}

export async function apiError(run: () => unknown): Promise<AwsApiError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AwsApiError) return error;
    throw error;
  }
  throw new Error('expected an AwsApiError, but the call succeeded');
}

export function entry(detail: object, extra: Record<string, unknown> = {}) {
  return { Source: 'slbc.test', DetailType: 'Thing Changed', Detail: JSON.stringify(detail), ...extra };
}
