import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../infra/local/aws/context.js';
import { createEventBridgeService } from '../../../infra/local/aws/eventbridge/index.js';
import { contextWith, entry, harness, lambdaArn, queueArn, recorder } from './harness.js';

const PATTERN = JSON.stringify({ source: ['slbc.test'] });

async function withTarget(target: Record<string, unknown>, options = {}) {
  const h = harness(options);
  await h.call('PutRule', { Name: 'r', EventPattern: PATTERN });
  await h.call('PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('fn'), ...target }] });
  return h;
}

describe('delivery retries and dead letters', () => {
  it.each([
    { name: 'succeeds at once', failures: 0, maxRetries: 2, attempts: 1, dead: 0 },
    { name: 'recovers on the last retry', failures: 2, maxRetries: 2, attempts: 3, dead: 0 },
    { name: 'exhausts its retries', failures: 99, maxRetries: 2, attempts: 3, dead: 1 },
    { name: 'no retries at all', failures: 99, maxRetries: 0, attempts: 1, dead: 1 },
  ])('$name: $attempts attempts, $dead dead-lettered', async ({ failures, maxRetries, attempts, dead }) => {
    // Prepare
    const h = await withTarget({
      RetryPolicy: { MaximumRetryAttempts: maxRetries },
      DeadLetterConfig: { Arn: queueArn('dlq') },
    });
    const fn = recorder(h.service, 'fn', (attempt) => attempt <= failures);
    // Act
    const put = await h.call('PutEvents', { Entries: [entry({ n: 1 })] });
    await h.settle();
    // Assess
    expect(fn.attempts()).toBe(attempts);
    const letters = h.service.deadLetters(queueArn('dlq'));
    expect(letters).toHaveLength(dead);
    if (dead > 0) {
      expect(letters[0]).toMatchObject({
        queueArn: queueArn('dlq'),
        ruleName: 'r',
        targetId: 't',
        targetArn: lambdaArn('fn'),
        attempts,
        errorCode: 'FUNCTION_ERROR',
        error: `fn failed attempt ${attempts}`,
        exhaustedCondition: 'MaximumRetryAttempts',
      });
      expect(letters[0]!.event.id).toBe(put.Entries[0].EventId);
      expect(letters[0]!.attributes).toEqual({
        RULE_ARN: 'arn:aws:events:eu-west-1:123456789012:rule/r',
        TARGET_ARN: lambdaArn('fn'),
        ERROR_CODE: 'FUNCTION_ERROR',
        ERROR_MESSAGE: `fn failed attempt ${attempts}`,
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: String(attempts - 1),
      });
    }
    expect(h.service.counters()).toMatchObject({
      failedAttempts: Math.min(failures, attempts),
      deadLettered: dead,
    });
  });

  it('backs off exponentially on the clock', async () => {
    const h = await withTarget({ RetryPolicy: { MaximumRetryAttempts: 3 } }, { baseRetryDelayMs: 1000 });
    const times: number[] = [];
    h.service.registerLambda('fn', () => {
      times.push(h.clock.now());
      throw new Error('down');
    });
    const start = h.clock.now();
    await h.call('PutEvents', { Entries: [entry({})] });
    await h.settle(250);
    expect(times.map((t) => t - start)).toEqual([0, 1000, 3000, 7000]);
  });

  it('gives up when the event is older than MaximumEventAgeInSeconds', async () => {
    const h = await withTarget(
      { RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: queueArn('dlq') } },
      { baseRetryDelayMs: 10_000, maxRetryDelayMs: 10_000 },
    );
    const fn = recorder(h.service, 'fn', () => true);
    await h.call('PutEvents', { Entries: [entry({})] });
    await h.settle(1000);
    // attempts at 0, 10, 20, 30, 40, 50, 60 s; the next would be past 60 s
    expect(fn.attempts()).toBe(7);
    expect(h.service.deadLetters()[0]).toMatchObject({
      exhaustedCondition: 'MaximumEventAgeInSeconds',
      attempts: 7,
    });
  });

  it('drops and counts a failed event when the target has no DLQ', async () => {
    const h = await withTarget({ RetryPolicy: { MaximumRetryAttempts: 1 } });
    recorder(h.service, 'fn', () => true);
    await h.call('PutEvents', { Entries: [entry({})] });
    await h.settle();
    expect(h.service.deadLetters()).toEqual([]);
    expect(h.service.counters()).toMatchObject({ dropped: 1, deadLettered: 0, failedAttempts: 2 });
  });

  it('treats an unregistered function as a failed invocation, retried until it exists', async () => {
    const h = await withTarget({
      RetryPolicy: { MaximumRetryAttempts: 5 },
      DeadLetterConfig: { Arn: queueArn('dlq') },
    });
    await h.call('PutEvents', { Entries: [entry({})] });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(h.service.counters().failedAttempts).toBe(1);
    const fn = recorder(h.service, 'fn');
    await h.settle();
    expect(fn.received).toHaveLength(1);
    expect(h.service.deadLetters()).toEqual([]);
  });

  it('dead-letters with NO_RESOURCE when the function never appears', async () => {
    const h = await withTarget({
      RetryPolicy: { MaximumRetryAttempts: 1 },
      DeadLetterConfig: { Arn: queueArn('dlq') },
    });
    await h.call('PutEvents', { Entries: [entry({})] });
    await h.settle();
    expect(h.service.deadLetters()[0]).toMatchObject({ errorCode: 'NO_RESOURCE', attempts: 2 });
    expect(h.service.deadLetters()[0]!.error).toContain('Function not found');
  });

  it('times a handler out on the clock and passes a Lambda-like context', async () => {
    const h = await withTarget({
      RetryPolicy: { MaximumRetryAttempts: 0 },
      DeadLetterConfig: { Arn: queueArn('dlq') },
    });
    const seen: { name: string; remaining: number; requestId: string }[] = [];
    h.service.registerLambda(
      'fn',
      (_event, context) => {
        seen.push({
          name: context.functionName,
          remaining: context.getRemainingTimeInMillis(),
          requestId: context.awsRequestId,
        });
        return new Promise(() => {}); // never settles
      },
      { timeoutMs: 3000 },
    );
    await h.call('PutEvents', { Entries: [entry({})] });
    await h.settle(1000);
    expect(seen).toEqual([
      { name: 'fn', remaining: 3000, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(h.service.deadLetters()[0]).toMatchObject({
      errorCode: 'TIMEOUT',
      error: 'Task timed out after 3.00 seconds',
    });
  });

  it.each([
    ['per function', { concurrency: 2 }, {}, 2],
    ['from the service defaults', {}, { lambdaDefaults: { concurrency: 3 } }, 3],
    ['unlimited unless told', {}, {}, 7],
  ])('limits concurrent invocations %s', async (_name, lambdaOptions, serviceOptions, expectedPeak) => {
    const h = await withTarget({}, serviceOptions);
    let running = 0;
    let peak = 0;
    let done = 0;
    h.service.registerLambda(
      'fn',
      async () => {
        running++;
        peak = Math.max(peak, running);
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        running--;
        done++;
      },
      lambdaOptions,
    );
    await h.call('PutEvents', { Entries: Array.from({ length: 7 }, (_, i) => entry({ i })) });
    await h.service.drain();
    expect(done).toBe(7);
    expect(peak).toBe(expectedPeak);
  });

  it('drains retries on a fast scaled clock', async () => {
    // Prepare: 1000x clock; retries back off 1 s, 2 s, 4 s of clock time = a few ms of wall time
    const service = createEventBridgeService(contextWith(scaledClock(1000)));
    await service.handle('PutRule', { Name: 'r', EventPattern: PATTERN });
    await service.handle('PutTargets', {
      Rule: 'r',
      Targets: [
        {
          Id: 't',
          Arn: lambdaArn('fn'),
          RetryPolicy: { MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: queueArn('q') },
        },
      ],
    });
    let attempts = 0;
    service.registerLambda('fn', () => {
      attempts++;
      throw new Error('always');
    });
    // Act
    await service.handle('PutEvents', { Entries: [entry({}), entry({})] });
    await service.drain();
    // Assess
    expect(attempts).toBe(8);
    expect(service.pending()).toBe(0);
    expect(service.deadLetters('arn:aws:sqs:eu-west-1:123456789012:q')).toHaveLength(2);
    service.stop();
  });

  it('stop() cancels waiting retries and lets drain() resolve', async () => {
    const h = await withTarget({});
    recorder(h.service, 'fn', () => true);
    await h.call('PutEvents', { Entries: [entry({})] });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(h.service.pending()).toBe(1);
    h.service.stop();
    await h.service.drain();
    expect(h.service.pending()).toBe(0);
  });
});

describe('scheduled rules', () => {
  it.each([
    ['rate(5 minutes)', 15, 3],
    ['rate(1 hour)', 59, 0],
    ['cron(0/10 * * * ? *)', 30, 3],
    ['cron(0 12 ? * MON-FRI *)', 3 * 24 * 60, 3],
    ['cron(0 12 ? * MON-FRI *)', 24 * 60 - 1, 0],
  ])('%s: %i minutes of clock time give %i firings', async (expression, minutes, firings) => {
    // 2026-03-01T12:00:00Z is a Sunday: weekday noons are Monday, Tuesday, Wednesday
    const h = harness();
    const fn = recorder(h.service, 'fn');
    await h.call('PutRule', { Name: 'resync', ScheduleExpression: expression });
    await h.call('PutTargets', { Rule: 'resync', Targets: [{ Id: 't', Arn: lambdaArn('fn') }] });
    h.clock.advance(minutes * 60_000);
    await h.settle();
    expect(fn.received).toHaveLength(firings);
    if (firings > 0)
      expect(fn.received[0]).toMatchObject({
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        resources: ['arn:aws:events:eu-west-1:123456789012:rule/resync'],
        detail: {},
      });
  });

  it('stops firing when disabled or deleted', async () => {
    const h = harness();
    const fn = recorder(h.service, 'fn');
    await h.call('PutRule', { Name: 'resync', ScheduleExpression: 'rate(1 minute)' });
    await h.call('PutTargets', { Rule: 'resync', Targets: [{ Id: 't', Arn: lambdaArn('fn') }] });
    h.clock.advance(60_000);
    await h.call('DisableRule', { Name: 'resync' });
    h.clock.advance(60_000);
    await h.call('RemoveTargets', { Rule: 'resync', Ids: ['t'] });
    await h.call('DeleteRule', { Name: 'resync' });
    h.clock.advance(60_000);
    await h.settle();
    expect(fn.received).toHaveLength(1);
  });
});

describe('at-least-once and unordered delivery, made visible', () => {
  async function run(options: Record<string, number>, count: number) {
    const h = await withTarget({}, options);
    const fn = recorder(h.service, 'fn');
    for (let i = 0; i < count; i += 10)
      await h.call('PutEvents', { Entries: Array.from({ length: 10 }, (_, j) => entry({ n: i + j })) });
    await h.settle(1000);
    const order = fn.received.map((event) => (event as { detail: { n: number } }).detail.n);
    return { order, counters: h.service.counters() };
  }

  it('duplicates every delivery at rate 1', async () => {
    const { order, counters } = await run({ duplicateRate: 1 }, 10);
    expect(order).toHaveLength(20);
    expect(new Set(order).size).toBe(10);
    expect(counters).toMatchObject({ duplicated: 10, delivered: 20 });
  });

  it('duplicates some deliveries at rate 0.3, the same ones for the same seed', async () => {
    const first = await run({ duplicateRate: 0.3, seed: 7 }, 50);
    const again = await run({ duplicateRate: 0.3, seed: 7 }, 50);
    expect(first.counters.duplicated).toBeGreaterThan(5);
    expect(first.counters.duplicated).toBeLessThan(30);
    expect(again.order).toEqual(first.order);
  });

  it('shuffles first attempts within reorderWindowMs, reproducibly', async () => {
    const inOrder = await run({}, 30);
    const shuffled = await run({ reorderWindowMs: 10_000, seed: 3 }, 30);
    const again = await run({ reorderWindowMs: 10_000, seed: 3 }, 30);
    expect(inOrder.order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(shuffled.order).not.toEqual(inOrder.order);
    expect([...shuffled.order].sort((a, b) => a - b)).toEqual(inOrder.order);
    expect(again.order).toEqual(shuffled.order);
  });

  it.each([
    ['duplicateRate', { duplicateRate: 2 }, 'duplicateRate must be a number from 0 to 1, got 2'],
    ['reorderWindowMs', { reorderWindowMs: -1 }, 'reorderWindowMs must be a number from 0'],
    ['baseRetryDelayMs', { baseRetryDelayMs: Number.NaN }, 'baseRetryDelayMs must be a number'],
  ])('rejects a bad %s', (_name, options, message) => {
    expect(() => harness(options)).toThrow(message);
  });
});
