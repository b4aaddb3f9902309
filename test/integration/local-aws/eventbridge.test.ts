import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { rejection, useLocalAws } from './harness.js';

describe('local EventBridge through the SDK', () => {
  const local = useLocalAws({ eventBridge: { baseRetryDelayMs: 1, maxRetryDelayMs: 1 } });
  const events = () => new EventBridgeClient(local.config);
  const account = () => local.aws.topology.account;
  const region = () => local.aws.region;
  const lambda = (name: string) => `arn:aws:lambda:${region()}:${account()}:function:${name}`;
  const entry = (detail: object, extra = {}) => ({
    Source: 'slbc.k8s',
    DetailType: 'Pod Changed',
    Detail: JSON.stringify(detail),
    EventBusName: 'sdk-bus',
    ...extra,
  });

  it('routes PutEvents to a registered Lambda and reports per-entry failures', async () => {
    // Prepare
    const client = events();
    const { EventBusArn } = await client.send(new CreateEventBusCommand({ Name: 'sdk-bus' }));
    await client.send(
      new PutRuleCommand({
        Name: 'pods',
        EventBusName: 'sdk-bus',
        EventPattern: JSON.stringify({ source: ['slbc.k8s'], detail: { ip: [{ cidr: '10.0.0.0/16' }] } }),
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'pods',
        EventBusName: EventBusArn,
        Targets: [{ Id: 'targets', Arn: lambda('sdk-targets'), InputPath: '$.detail' }],
      }),
    );
    const received: unknown[] = [];
    local.aws.services.events.registerLambda('sdk-targets', async (event) => {
      received.push(event);
    });
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ ip: '10.0.3.4' }, { Time: new Date('2026-02-01T10:00:00Z') }),
          entry({ ip: '192.168.0.1' }),
          { Source: 'slbc.k8s', DetailType: 'Pod Changed', Detail: '[1]', EventBusName: 'sdk-bus' },
        ],
      }),
    );
    await local.aws.services.events.drain();
    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[2]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(received).toEqual([{ ip: '10.0.3.4' }]);
    const rule = await client.send(new DescribeRuleCommand({ Name: 'pods', EventBusName: 'sdk-bus' }));
    expect(rule.Arn).toBe(`arn:aws:events:${region()}:${account()}:rule/sdk-bus/pods`);
    const targets = await client.send(
      new ListTargetsByRuleCommand({ Rule: 'pods', EventBusName: 'sdk-bus' }),
    );
    expect(targets.Targets).toEqual([{ Id: 'targets', Arn: lambda('sdk-targets'), InputPath: '$.detail' }]);
  });

  it('retries a failing Lambda and dead-letters the event, with InputTransformer applied', async () => {
    // Prepare
    const client = events();
    const dlq = `arn:aws:sqs:${region()}:${account()}:sdk-dlq`;
    await client.send(new CreateEventBusCommand({ Name: 'failing-bus' }));
    await client.send(
      new PutRuleCommand({
        Name: 'fails',
        EventBusName: 'failing-bus',
        EventPattern: '{"source":["slbc.k8s"]}',
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'fails',
        EventBusName: 'failing-bus',
        Targets: [
          {
            Id: 'flaky',
            Arn: lambda('sdk-flaky'),
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: dlq },
            InputTransformer: { InputPathsMap: { ip: '$.detail.ip' }, InputTemplate: '{"ip": <ip>}' },
          },
        ],
      }),
    );
    const payloads: unknown[] = [];
    local.aws.services.events.registerLambda('sdk-flaky', async (event) => {
      payloads.push(event);
      throw new Error('backend unavailable');
    });
    // Act
    const put = await client.send(
      new PutEventsCommand({ Entries: [entry({ ip: '10.0.9.9' }, { EventBusName: 'failing-bus' })] }),
    );
    await local.aws.services.events.drain();
    // Assess
    expect(payloads).toEqual([{ ip: '10.0.9.9' }, { ip: '10.0.9.9' }, { ip: '10.0.9.9' }]);
    const [letter] = local.aws.services.events.deadLetters(dlq);
    expect(letter).toMatchObject({
      ruleName: 'fails',
      targetId: 'flaky',
      attempts: 3,
      error: 'backend unavailable',
    });
    expect(letter?.event.id).toBe(put.Entries?.[0]?.EventId);
  });

  it('raises the modelled exceptions', async () => {
    const client = events();
    const badPattern = await rejection(
      client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[{"prefx":"a"}]}' })),
    );
    expect(badPattern).toBeInstanceOf(InvalidEventPatternException);
    expect(badPattern.message).toContain('unknown operator "prefx"');
    const missing = await rejection(client.send(new DescribeRuleCommand({ Name: 'nope' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const tooMany = await rejection(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry({})) })),
    );
    expect(tooMany.name).toBe('ValidationException');
  });

  it('answers TestEventPattern', async () => {
    const event = {
      id: '1',
      account: account(),
      source: 'slbc.k8s',
      time: '2026-02-01T10:00:00Z',
      region: region(),
      resources: [],
      'detail-type': 'Pod Changed',
      detail: { phase: 'Running' },
    };
    const { Result } = await events().send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { phase: [{ 'anything-but': { prefix: 'Pend' } }] } }),
        Event: JSON.stringify(event),
      }),
    );
    expect(Result).toBe(true);
  });

  it('archives and replays with timestamps the SDK parses as Dates', async () => {
    // Prepare
    const client = events();
    await client.send(new CreateEventBusCommand({ Name: 'replay-bus' }));
    const busArn = `arn:aws:events:${region()}:${account()}:event-bus/replay-bus`;
    const { ArchiveArn } = await client.send(
      new CreateArchiveCommand({ ArchiveName: 'sdk-archive', EventSourceArn: busArn }),
    );
    await client.send(
      new PutRuleCommand({
        Name: 'all',
        EventBusName: 'replay-bus',
        EventPattern: '{"source":["slbc.k8s"]}',
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'all',
        EventBusName: 'replay-bus',
        Targets: [{ Id: 't', Arn: lambda('sdk-replayed') }],
      }),
    );
    const received: { 'replay-name'?: string }[] = [];
    local.aws.services.events.registerLambda('sdk-replayed', async (event) => {
      received.push(event as { 'replay-name'?: string });
    });
    await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ n: 1 }, { EventBusName: 'replay-bus', Time: new Date('2026-02-01T10:00:00Z') }),
          entry({ n: 2 }, { EventBusName: 'replay-bus', Time: new Date('2026-02-01T12:00:00Z') }),
        ],
      }),
    );
    await local.aws.services.events.drain();
    received.length = 0;
    // Act
    await client.send(
      new StartReplayCommand({
        ReplayName: 'sdk-replay',
        EventSourceArn: ArchiveArn,
        EventStartTime: new Date('2026-02-01T09:00:00Z'),
        EventEndTime: new Date('2026-02-01T11:00:00Z'),
        Destination: { Arn: busArn },
      }),
    );
    await local.aws.services.events.drain();
    // Assess
    expect(received.map((event) => event['replay-name'])).toEqual(['sdk-replay']);
    const replay = await client.send(new DescribeReplayCommand({ ReplayName: 'sdk-replay' }));
    expect(replay.State).toBe('COMPLETED');
    expect(replay.EventLastReplayedTime).toEqual(new Date('2026-02-01T10:00:00Z'));
    expect(replay.ReplayStartTime).toBeInstanceOf(Date);
    const archive = await client.send(new DescribeArchiveCommand({ ArchiveName: 'sdk-archive' }));
    expect(archive.EventCount).toBe(2);
    expect(archive.CreationTime).toBeInstanceOf(Date);
  });
});
