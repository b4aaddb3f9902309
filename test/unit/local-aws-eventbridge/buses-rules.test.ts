import { describe, expect, it } from 'vitest';
import { apiError, busArn, harness, lambdaArn, queueArn } from './harness.js';

describe('event buses', () => {
  it('has the default bus and creates, lists, describes and deletes custom ones', async () => {
    // Prepare
    const { call } = harness();
    // Act
    const created = await call('CreateEventBus', { Name: 'slbc-dev', Description: 'slbc events' });
    const listed = await call('ListEventBuses', {});
    const described = await call('DescribeEventBus', { Name: busArn('slbc-dev') });
    await call('DeleteEventBus', { Name: 'slbc-dev' });
    // Assess
    expect(created).toEqual({ EventBusArn: busArn('slbc-dev'), Description: 'slbc events' });
    expect(listed.EventBuses.map((bus: { Name: string }) => bus.Name)).toEqual(['default', 'slbc-dev']);
    expect(described).toMatchObject({ Name: 'slbc-dev', Arn: busArn('slbc-dev') });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect((await call('DescribeEventBus', {})).Name).toBe('default');
    expect((await apiError(() => call('DescribeEventBus', { Name: 'slbc-dev' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it.each([
    ['a duplicate', { Name: 'default' }, 'ResourceAlreadyExistsException', 'default already exists'],
    ['a bad name', { Name: 'bad name!' }, 'ValidationException', "at 'Name'"],
    ['no name', {}, 'ValidationException', 'Name is required'],
    [
      'a partner-style name without a source',
      { Name: 'aws.partner' },
      'ValidationException',
      'EventSourceName',
    ],
  ])('rejects %s', async (_name, input, code, message) => {
    const { call } = harness();
    const error = await apiError(() => call('CreateEventBus', input));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('updates a bus description', async () => {
    const { call } = harness();
    await call('CreateEventBus', { Name: 'slbc' });
    const updated = await call('UpdateEventBus', { Name: 'slbc', Description: 'now described' });
    expect(updated).toEqual({ Arn: busArn('slbc'), Name: 'slbc', Description: 'now described' });
    expect((await call('DescribeEventBus', { Name: 'slbc' })).Description).toBe('now described');
    expect((await apiError(() => call('UpdateEventBus', { Name: 'nope' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('never deletes the default bus', async () => {
    const { call } = harness();
    const error = await apiError(() => call('DeleteEventBus', { Name: 'default' }));
    expect(error.code).toBe('ValidationException');
  });
});

describe('rules', () => {
  const pattern = JSON.stringify({ source: ['slbc.test'] });

  it('puts, describes, lists by prefix and bus, disables and enables', async () => {
    const { call } = harness();
    await call('CreateEventBus', { Name: 'slbc' });
    const put = await call('PutRule', { Name: 'pods', EventPattern: pattern, EventBusName: 'slbc' });
    await call('PutRule', { Name: 'pods-2', EventPattern: pattern, EventBusName: busArn('slbc') });
    await call('PutRule', { Name: 'ingress', EventPattern: pattern, EventBusName: 'slbc' });
    await call('PutRule', { Name: 'pods-on-default', EventPattern: pattern });
    await call('DisableRule', { Name: 'pods', EventBusName: 'slbc' });

    expect(put.RuleArn).toBe(`arn:aws:events:eu-west-1:123456789012:rule/slbc/pods`);
    const described = await call('DescribeRule', { Name: 'pods', EventBusName: 'slbc' });
    expect(described).toMatchObject({
      Name: 'pods',
      EventPattern: pattern,
      State: 'DISABLED',
      EventBusName: 'slbc',
    });
    const listed = await call('ListRules', { EventBusName: 'slbc', NamePrefix: 'pods' });
    expect(listed.Rules.map((rule: { Name: string }) => rule.Name)).toEqual(['pods', 'pods-2']);
    const onDefault = await call('ListRules', {});
    expect(onDefault.Rules).toHaveLength(1);
    expect(onDefault.Rules[0].Arn).toBe('arn:aws:events:eu-west-1:123456789012:rule/pods-on-default');
    await call('EnableRule', { Name: 'pods', EventBusName: 'slbc' });
    expect((await call('DescribeRule', { Name: 'pods', EventBusName: 'slbc' })).State).toBe('ENABLED');
  });

  it('pages ListRules with Limit and NextToken', async () => {
    const { call } = harness();
    for (const name of ['a', 'b', 'c']) await call('PutRule', { Name: name, EventPattern: pattern });
    const first = await call('ListRules', { Limit: 2 });
    const second = await call('ListRules', { Limit: 2, NextToken: first.NextToken });
    expect(first.Rules.map((r: { Name: string }) => r.Name)).toEqual(['a', 'b']);
    expect(second.Rules.map((r: { Name: string }) => r.Name)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
  });

  it.each([
    [
      'an invalid pattern',
      { Name: 'r', EventPattern: '{"source": []}' },
      'InvalidEventPatternException',
      'empty arrays',
    ],
    [
      'pattern text that is not JSON',
      { Name: 'r', EventPattern: '{' },
      'InvalidEventPatternException',
      'not valid JSON',
    ],
    [
      'no pattern and no schedule',
      { Name: 'r' },
      'ValidationException',
      'EventPattern or ScheduleExpression',
    ],
    [
      'a bad schedule',
      { Name: 'r', ScheduleExpression: 'rate(1 minutes)' },
      'ValidationException',
      'singular',
    ],
    [
      'a schedule on a custom bus',
      { Name: 'r', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'custom' },
      'ValidationException',
      'only on the default event bus',
    ],
    [
      'an unknown bus',
      { Name: 'r', EventPattern: pattern, EventBusName: 'nope' },
      'ResourceNotFoundException',
      'nope',
    ],
    [
      'a bad state',
      { Name: 'r', EventPattern: pattern, State: 'ON' },
      'ValidationException',
      'State must be one of',
    ],
    [
      'a long name',
      { Name: 'x'.repeat(65), EventPattern: pattern },
      'ValidationException',
      'less than or equal to 64',
    ],
  ])('PutRule rejects %s', async (_name, input, code, message) => {
    const { call } = harness();
    await call('CreateEventBus', { Name: 'custom' });
    const error = await apiError(() => call('PutRule', input));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('allows at most 30 rules with wildcard patterns per bus', async () => {
    const { call } = harness();
    const wildcard = (i: number) =>
      JSON.stringify(
        i % 2 === 0
          ? { detail: { name: [{ wildcard: `web-${i}-*` }] } }
          : { $or: [{ a: ['x'] }, { b: [{ 'anything-but': { wildcard: `*-${i}` } }] }] },
      );
    for (let i = 0; i < 30; i++) await call('PutRule', { Name: `w${i}`, EventPattern: wildcard(i) });
    await call('PutRule', { Name: 'plain', EventPattern: pattern });
    await call('PutRule', { Name: 'w0', EventPattern: wildcard(0) }); // updating one is not a new one
    const error = await apiError(() => call('PutRule', { Name: 'w30', EventPattern: wildcard(30) }));
    expect(error.code).toBe('LimitExceededException');
    expect(error.message).toContain('30 rules whose patterns use wildcard');
  });

  it('does not delete a rule that still has targets', async () => {
    const { call } = harness();
    await call('PutRule', { Name: 'r', EventPattern: pattern });
    await call('PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('fn') }] });
    const error = await apiError(() => call('DeleteRule', { Name: 'r' }));
    expect(error.code).toBe('ValidationException');
    expect(error.message).toContain('has targets');
    await call('RemoveTargets', { Rule: 'r', Ids: ['t'] });
    await call('DeleteRule', { Name: 'r' });
    expect((await apiError(() => call('DescribeRule', { Name: 'r' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('targets', () => {
  const setup = async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["slbc.test"]}' });
    return h;
  };

  it('puts, lists and replaces targets by Id', async () => {
    const { call } = await setup();
    const result = await call('PutTargets', {
      Rule: 'r',
      Targets: [
        {
          Id: 'a',
          Arn: lambdaArn('one'),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
        },
        { Id: 'b', Arn: lambdaArn('two'), InputPath: '$.detail', DeadLetterConfig: { Arn: queueArn('dlq') } },
      ],
    });
    await call('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'a', Arn: lambdaArn('three'), Input: '{"x":1}' }],
    });
    const listed = await call('ListTargetsByRule', { Rule: 'r' });
    expect(result).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(listed.Targets).toEqual([
      { Id: 'a', Arn: lambdaArn('three'), Input: '{"x":1}' },
      { Id: 'b', Arn: lambdaArn('two'), InputPath: '$.detail', DeadLetterConfig: { Arn: queueArn('dlq') } },
    ]);
  });

  it.each([
    ['a non-Lambda ARN', { Arn: 'arn:aws:sns:eu-west-1:123456789012:topic' }, 'Lambda functions only'],
    ['Input and InputPath together', { Arn: lambdaArn('f'), Input: '{}', InputPath: '$' }, 'Only one of'],
    ['Input that is not JSON', { Arn: lambdaArn('f'), Input: '{x' }, 'Input is not valid JSON'],
    ['a bad InputPath', { Arn: lambdaArn('f'), InputPath: 'detail' }, 'must start with $'],
    ['a FIFO DLQ', { Arn: lambdaArn('f'), DeadLetterConfig: { Arn: queueArn('dlq.fifo') } }, 'not FIFO'],
    [
      'an InputTransformer key in the aws. namespace',
      { Arn: lambdaArn('f'), InputTransformer: { InputPathsMap: { 'aws.x': '$.a' }, InputTemplate: '<x>' } },
      'must match [A-Za-z0-9_-]+ and not start with aws.',
    ],
    [
      'an InputTransformer with a bad path',
      { Arn: lambdaArn('f'), InputTransformer: { InputPathsMap: { x: 'detail' }, InputTemplate: '<x>' } },
      'InputPathsMap["x"]: JSONPath detail must start with $',
    ],
    [
      'an InputTransformer without a template',
      { Arn: lambdaArn('f'), InputTransformer: { InputPathsMap: {} } },
      'InputTemplate must be a string',
    ],
    [
      'InputPath together with an InputTransformer',
      { Arn: lambdaArn('f'), InputPath: '$', InputTransformer: { InputTemplate: '"x"' } },
      'Only one of',
    ],
    [
      'SqsParameters',
      { Arn: lambdaArn('f'), SqsParameters: { MessageGroupId: 'g' } },
      'SqsParameters is not supported',
    ],
  ])('reports %s in FailedEntries and keeps the good entries', async (_name, bad, message) => {
    const { call } = await setup();
    const result = await call('PutTargets', {
      Rule: 'r',
      Targets: [
        { Id: 'good', Arn: lambdaArn('ok') },
        { Id: 'bad', ...bad },
      ],
    });
    expect(result.FailedEntryCount).toBe(1);
    expect(result.FailedEntries[0]).toMatchObject({ TargetId: 'bad', ErrorCode: 'ValidationException' });
    expect(result.FailedEntries[0].ErrorMessage).toContain(message);
    const listed = await call('ListTargetsByRule', { Rule: 'r' });
    expect(listed.Targets.map((t: { Id: string }) => t.Id)).toEqual(['good']);
  });

  it.each([
    ['MaximumRetryAttempts over 185', { MaximumRetryAttempts: 186 }, 'less than or equal to 185'],
    ['MaximumEventAgeInSeconds under 60', { MaximumEventAgeInSeconds: 59 }, 'greater than or equal to 60'],
  ])('rejects a RetryPolicy with %s', async (_name, retryPolicy, message) => {
    const { call } = await setup();
    const error = await apiError(() =>
      call('PutTargets', {
        Rule: 'r',
        Targets: [{ Id: 't', Arn: lambdaArn('f'), RetryPolicy: retryPolicy }],
      }),
    );
    expect(error.code).toBe('ValidationException');
    expect(error.message).toContain(message);
  });

  it('allows at most 5 targets per rule', async () => {
    const { call } = await setup();
    const targets = (ids: string[]) => ids.map((id) => ({ Id: id, Arn: lambdaArn(id) }));
    await call('PutTargets', { Rule: 'r', Targets: targets(['a', 'b', 'c', 'd', 'e']) });
    const error = await apiError(() => call('PutTargets', { Rule: 'r', Targets: targets(['f']) }));
    expect(error.code).toBe('LimitExceededException');
    // replacing an existing Id does not add one
    await call('PutTargets', { Rule: 'r', Targets: targets(['a']) });
  });

  it('fails for a rule that does not exist', async () => {
    const { call } = await setup();
    const error = await apiError(() =>
      call('PutTargets', { Rule: 'nope', Targets: [{ Id: 't', Arn: lambdaArn('f') }] }),
    );
    expect(error.code).toBe('ResourceNotFoundException');
    expect(error.message).toContain('Rule nope does not exist on EventBus default');
  });
});

describe('tags and ListRuleNamesByTarget', () => {
  it('tags buses and rules at creation and later, and untags them', async () => {
    const { call } = harness();
    await call('CreateEventBus', { Name: 'slbc', Tags: [{ Key: 'stage', Value: 'dev' }] });
    const { RuleArn } = await call('PutRule', {
      Name: 'r',
      EventBusName: 'slbc',
      EventPattern: '{"source":["s"]}',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    await call('TagResource', { ResourceARN: busArn('slbc'), Tags: [{ Key: 'owner', Value: 'slbc' }] });
    await call('UntagResource', { ResourceARN: busArn('slbc'), TagKeys: ['stage'] });
    expect((await call('ListTagsForResource', { ResourceARN: busArn('slbc') })).Tags).toEqual([
      { Key: 'owner', Value: 'slbc' },
    ]);
    expect((await call('ListTagsForResource', { ResourceARN: RuleArn })).Tags).toEqual([
      { Key: 'team', Value: 'platform' },
    ]);
  });

  it.each([
    [
      'an unknown resource',
      { ResourceARN: busArn('nope'), Tags: [{ Key: 'a', Value: 'b' }] },
      'ResourceNotFoundException',
    ],
    [
      'an aws: key',
      { ResourceARN: busArn('default'), Tags: [{ Key: 'aws:x', Value: 'b' }] },
      'ValidationException',
    ],
    ['a tag without Value', { ResourceARN: busArn('default'), Tags: [{ Key: 'a' }] }, 'ValidationException'],
    [
      'more than 50 tags',
      {
        ResourceARN: busArn('default'),
        Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      },
      'LimitExceededException',
    ],
  ])('TagResource rejects %s', async (_name, input, code) => {
    const { call } = harness();
    expect((await apiError(() => call('TagResource', input))).code).toBe(code);
  });

  it('lists the rules of a bus that target an ARN', async () => {
    const { call } = harness();
    for (const name of ['b', 'a', 'c']) {
      await call('PutRule', { Name: name, EventPattern: '{"source":["s"]}' });
      await call('PutTargets', {
        Rule: name,
        Targets: [{ Id: 't', Arn: lambdaArn(name === 'c' ? 'other' : 'fn') }],
      });
    }
    const listed = await call('ListRuleNamesByTarget', { TargetArn: lambdaArn('fn') });
    expect(listed.RuleNames).toEqual(['a', 'b']);
  });
});
