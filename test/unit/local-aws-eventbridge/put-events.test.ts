import { describe, expect, it } from 'vitest';
import { entrySize, MAX_ENTRY_BYTES } from '../../../infra/local/aws/eventbridge/put-events.js';
import { ACCOUNT, apiError, entry, harness, lambdaArn, REGION, recorder } from './harness.js';

/** an entry whose AWS-computed size is exactly `bytes` */
function entryOfSize(bytes: number) {
  const base = entry({ p: '' });
  const padding = bytes - entrySize(base);
  return entry({ p: 'x'.repeat(padding) });
}

describe('PutEvents', () => {
  it('rejects more than 10 entries, and none', async () => {
    const { call } = harness();
    const eleven = Array.from({ length: 11 }, () => entry({}));
    expect((await apiError(() => call('PutEvents', { Entries: eleven }))).code).toBe('ValidationException');
    expect((await apiError(() => call('PutEvents', { Entries: [] }))).code).toBe('ValidationException');
    const ten = await call('PutEvents', { Entries: eleven.slice(1) });
    expect(ten.FailedEntryCount).toBe(0);
  });

  it('computes entry size as AWS documents it', () => {
    const sized = { Time: 1, Source: 'é', DetailType: 'ab', Detail: '{}', Resources: ['r1', 'r22'] };
    // 14 for Time, 2 bytes for é, 2, 2, and 2 + 3 for the resources
    expect(entrySize(sized)).toBe(25);
  });

  it.each([
    ['no Source', { DetailType: 'd', Detail: '{}' }, 'InvalidArgument', 'Source'],
    ['no DetailType', { Source: 's', Detail: '{}' }, 'InvalidArgument', 'DetailType'],
    ['no Detail', { Source: 's', DetailType: 'd' }, 'InvalidArgument', 'Detail'],
    [
      'Detail that is not JSON',
      { Source: 's', DetailType: 'd', Detail: '{' },
      'MalformedDetail',
      'malformed',
    ],
    [
      'Detail that is an array',
      { Source: 's', DetailType: 'd', Detail: '[1]' },
      'MalformedDetail',
      'JSON object',
    ],
    [
      'Detail that is a string',
      { Source: 's', DetailType: 'd', Detail: '"x"' },
      'MalformedDetail',
      'JSON object',
    ],
    [
      'an aws. source',
      { Source: 'aws.ec2', DetailType: 'd', Detail: '{}' },
      'NotAuthorizedForSourceException',
      'aws.ec2',
    ],
    ['an unknown bus', { ...entry({}), EventBusName: 'nope' }, 'ResourceNotFoundException', 'nope'],
    ['a bus name that is not a string', { ...entry({}), EventBusName: 7 }, 'InvalidArgument', 'EventBusName'],
    [
      'a bus ARN of another account',
      { ...entry({}), EventBusName: 'arn:aws:events:eu-west-1:999999999999:event-bus/x' },
      'InvalidArgument',
      'not an event bus ARN of account 123456789012',
    ],
    ['an entry that is not a structure', 'just text', 'InvalidArgument', 'must be a structure'],
    ['Resources that are not strings', { ...entry({}), Resources: [1] }, 'InvalidArgument', 'Resources'],
    ['a bad Time', { ...entry({}), Time: 'yesterday' }, 'InvalidArgument', 'Time'],
  ])('fails only the entry with %s', async (_name, bad, code, message) => {
    const { call } = harness();
    const result = await call('PutEvents', { Entries: [entry({ n: 1 }), bad, entry({ n: 2 })] });
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries[1]).toMatchObject({ ErrorCode: code });
    expect(result.Entries[1].ErrorMessage).toContain(message);
    expect(result.Entries[1].EventId).toBeUndefined();
    expect(result.Entries[2].EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes a larger limit when told, as AWS raised it to 1 MB', async () => {
    const { call } = harness({ maxEntryBytes: 1_048_576 });
    expect((await call('PutEvents', { Entries: [entryOfSize(1_048_576)] })).FailedEntryCount).toBe(0);
    const over = await apiError(() => call('PutEvents', { Entries: [entryOfSize(1_048_577)] }));
    expect(over.code).toBe('ValidationException');
    expect(() => harness({ maxEntryBytes: 10 })).toThrow('maxEntryBytes must be a whole number from 1024');
  });

  // AWS (eb-putevent-size, "Calculating Amazon EventBridge PutEvents event entry size"): "The
  // total entry size must be less than 256KB", an entry counting Time as 14 bytes and Source,
  // DetailType, Detail and each Resources string as their UTF-8 bytes. Over it, the call fails
  // as a whole: ValidationException "Total size of the entries in the request is over the limit."
  it.each([
    ['ten entries of 100 KB', Array.from({ length: 10 }, () => entryOfSize(100 * 1024))],
    ['three entries of 100 KB', Array.from({ length: 3 }, () => entryOfSize(100 * 1024))],
    ['one entry one byte over 256 KB', [entryOfSize(MAX_ENTRY_BYTES + 1)]],
    [
      'two entries whose Time (14 bytes each) tips them over',
      [
        { ...entryOfSize(MAX_ENTRY_BYTES / 2 - 13), Time: 1 },
        { ...entryOfSize(MAX_ENTRY_BYTES / 2 - 13), Time: 1 },
      ],
    ],
  ])('fails the whole call whose entries add up past 256 KB: %s', async (_name, entries) => {
    const { call, service } = harness();
    const error = await apiError(() => call('PutEvents', { Entries: entries }));
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe('Total size of the entries in the request is over the limit.');
    expect(service.counters().eventsPut).toBe(0);
  });

  it.each([
    ['two entries of 128 KB', [entryOfSize(MAX_ENTRY_BYTES / 2), entryOfSize(MAX_ENTRY_BYTES / 2)]],
    [
      'two entries with Time, exactly 256 KB together',
      [
        { ...entryOfSize(MAX_ENTRY_BYTES / 2 - 14), Time: 1 },
        { ...entryOfSize(MAX_ENTRY_BYTES / 2 - 14), Time: 1 },
      ],
    ],
    [
      'entries on a named bus (EventBusName is not counted)',
      [{ ...entryOfSize(MAX_ENTRY_BYTES), EventBusName: 'default' }],
    ],
  ])('accepts a call of exactly 256 KB or less: %s', async (_name, entries) => {
    const { call } = harness();
    const result = await call('PutEvents', { Entries: entries });
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(entries.length);
  });

  it('accepts an entry of exactly 256 KB', async () => {
    const { call } = harness();
    const result = await call('PutEvents', { Entries: [entryOfSize(MAX_ENTRY_BYTES)] });
    expect(result.FailedEntryCount).toBe(0);
  });

  it('builds the envelope a target receives', async () => {
    const { call, service, settle } = harness();
    const fn = recorder(service, 'fn');
    await call('PutRule', { Name: 'r', EventPattern: '{"source":["slbc.test"]}' });
    await call('PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('fn') }] });
    const result = await call('PutEvents', {
      Entries: [
        entry({ kind: 'Pod' }, { Resources: ['arn:x'], Time: Date.parse('2026-02-01T10:00:00.750Z') / 1000 }),
      ],
    });
    await settle();
    expect(fn.received).toEqual([
      {
        version: '0',
        id: result.Entries[0].EventId,
        'detail-type': 'Thing Changed',
        source: 'slbc.test',
        account: ACCOUNT,
        time: '2026-02-01T10:00:00Z',
        region: REGION,
        resources: ['arn:x'],
        detail: { kind: 'Pod' },
      },
    ]);
  });
});

describe('routing', () => {
  it('delivers to enabled matching rules on the event bus only, after PutEvents returns', async () => {
    const { call, service, settle } = harness();
    await call('CreateEventBus', { Name: 'other' });
    const rules = [
      { name: 'pods', bus: 'default', pattern: { detail: { kind: ['Pod'] } } },
      { name: 'all', bus: 'default', pattern: { source: ['slbc.test'] } },
      { name: 'services', bus: 'default', pattern: { detail: { kind: ['Service'] } } },
      { name: 'disabled', bus: 'default', pattern: { source: ['slbc.test'] }, state: 'DISABLED' },
      { name: 'other-bus', bus: 'other', pattern: { source: ['slbc.test'] } },
    ];
    const got = Object.fromEntries(rules.map((rule) => [rule.name, recorder(service, rule.name)]));
    for (const rule of rules) {
      await call('PutRule', {
        Name: rule.name,
        EventBusName: rule.bus,
        EventPattern: JSON.stringify(rule.pattern),
        ...(rule.state ? { State: rule.state } : {}),
      });
      await call('PutTargets', {
        Rule: rule.name,
        EventBusName: rule.bus,
        Targets: [{ Id: 't', Arn: lambdaArn(rule.name) }],
      });
    }

    await call('PutEvents', { Entries: [entry({ kind: 'Pod' })] });
    expect(got['pods']!.attempts()).toBe(0); // PutEvents never waits for a target
    expect(service.pending()).toBe(2);
    await settle();

    expect(Object.fromEntries(rules.map((rule) => [rule.name, got[rule.name]!.received.length]))).toEqual({
      pods: 1,
      all: 1,
      services: 0,
      disabled: 0,
      'other-bus': 0,
    });
    expect(service.counters()).toMatchObject({
      eventsPut: 1,
      ruleMatches: 2,
      delivered: 2,
      failedAttempts: 0,
    });
  });

  it.each([
    ['Input sends the constant', { Input: '{"resync":true}' }, { resync: true }],
    [
      'InputPath $.detail',
      { InputPath: '$.detail' },
      { kind: 'Pod', ip: '10.0.0.1', tags: ['a', 'b'], quote: '"hi"' },
    ],
    ['InputPath $.detail-type', { InputPath: '$.detail-type' }, 'Thing Changed'],
    ['InputPath to a nested value', { InputPath: "$.detail['ip']" }, '10.0.0.1'],
    ['InputPath that finds nothing', { InputPath: '$.detail.missing' }, null],
    ['InputPath to an inherited property', { InputPath: '$.detail.constructor' }, null],
    ['InputPath to an array element', { InputPath: '$.detail.tags[1]' }, 'b'],
    [
      'InputTransformer: values outside strings go in as JSON (user guide example)',
      {
        InputTransformer: {
          InputPathsMap: { kind: '$.detail.kind', ip: '$.detail.ip', tags: '$.detail.tags' },
          InputTemplate: '{"kind": <kind>, "list": [9, <ip>, true], "tags": <tags>, "Transformed": "Yes"}',
        },
      },
      { kind: 'Pod', list: [9, '10.0.0.1', true], tags: ['a', 'b'], Transformed: 'Yes' },
    ],
    [
      'InputTransformer: values inside strings go in as text',
      {
        InputTransformer: {
          InputPathsMap: { kind: '$.detail.kind', quote: '$.detail.quote' },
          InputTemplate: '"<kind> said <quote> to <aws.events.rule-name>"',
        },
      },
      'Pod said "hi" to r',
    ],
    [
      'InputTransformer: a missing value is null outside strings and empty inside',
      {
        InputTransformer: {
          InputPathsMap: { missing: '$.detail.nope' },
          InputTemplate: '{"value": <missing>, "text": "[<missing>]"}',
        },
      },
      { value: null, text: '[]' },
    ],
    [
      'InputTransformer: the whole event and the rule ARN',
      { InputTransformer: { InputTemplate: '{"event": <aws.events.event>, "rule": <aws.events.rule-arn>}' } },
      {
        event: expect.objectContaining({
          source: 'slbc.test',
          detail: expect.objectContaining({ kind: 'Pod' }),
        }),
        rule: 'arn:aws:events:eu-west-1:123456789012:rule/r',
      },
    ],
    [
      'InputTransformer: text that is not JSON is sent as a string',
      { InputTransformer: { InputPathsMap: { ip: '$.detail.ip' }, InputTemplate: 'pod at <ip>' } },
      'pod at "10.0.0.1"',
    ],
  ])('transforms the payload: %s', async (_name, transform, expected) => {
    const { call, service, settle } = harness();
    const fn = recorder(service, 'fn');
    await call('PutRule', { Name: 'r', EventPattern: '{"source":["slbc.test"]}' });
    await call('PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('fn'), ...transform }] });
    await call('PutEvents', {
      Entries: [entry({ kind: 'Pod', ip: '10.0.0.1', tags: ['a', 'b'], quote: '"hi"' })],
    });
    await settle();
    expect(fn.received).toEqual([expected]);
  });

  it('dumps its state for the endpoint inspector', async () => {
    const { call, service, settle } = harness();
    recorder(service, 'fn');
    await call('PutRule', { Name: 'r', EventPattern: '{"source":["slbc.test"]}' });
    await call('PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: lambdaArn('fn') }] });
    await call('PutEvents', { Entries: [entry({}), entry({}, { Source: 'other' })] });
    await settle();
    expect(service.dump()).toMatchObject({
      buses: [
        {
          name: 'default',
          rules: [{ name: 'r', state: 'ENABLED', targets: [{ id: 't', arn: lambdaArn('fn') }] }],
        },
      ],
      lambdas: ['fn'],
      deadLetters: 0,
      counters: { eventsPut: 2, ruleMatches: 1, unmatched: 1, delivered: 1 },
    });
  });

  it('answers TestEventPattern', async () => {
    const { call } = harness();
    const event = JSON.stringify({
      id: '1',
      account: ACCOUNT,
      source: 'slbc.test',
      time: '2026-01-01T00:00:00Z',
      region: REGION,
      resources: [],
      'detail-type': 'x',
      detail: { n: 3 },
    });
    const test = (pattern: object) =>
      call('TestEventPattern', { EventPattern: JSON.stringify(pattern), Event: event });
    expect((await test({ detail: { n: [{ numeric: ['>', 2] }] } })).Result).toBe(true);
    expect((await test({ detail: { n: [{ numeric: ['>', 3] }] } })).Result).toBe(false);
    expect((await apiError(() => test({ detail: { n: [] } }))).code).toBe('InvalidEventPatternException');
    const missing = await apiError(() =>
      call('TestEventPattern', { EventPattern: '{"a":["b"]}', Event: '{"id":"1"}' }),
    );
    expect(missing.message).toContain('missing required field(s) account');
  });
});
