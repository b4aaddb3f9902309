import { describe, expect, it } from 'vitest';
import { apiError, busArn, entry, harness, lambdaArn, recorder } from './harness.js';

const ARCHIVE_ARN = 'arn:aws:events:eu-west-1:123456789012:archive/history';
const T = (iso: string) => Date.parse(iso) / 1000;

/** bus `slbc` with rules `pods` and `all`, bus `other` with rule `elsewhere`; an archive of `slbc` */
async function setup(archivePattern?: object) {
  const h = harness();
  await h.call('CreateEventBus', { Name: 'slbc' });
  await h.call('CreateEventBus', { Name: 'other' });
  const rules = [
    { name: 'pods', bus: 'slbc', pattern: { detail: { kind: ['Pod'] } } },
    { name: 'all', bus: 'slbc', pattern: { source: ['slbc.test'] } },
    { name: 'elsewhere', bus: 'other', pattern: { source: ['slbc.test'] } },
  ];
  const fns: Record<string, ReturnType<typeof recorder>> = {};
  for (const rule of rules) {
    fns[rule.name] = recorder(h.service, rule.name);
    await h.call('PutRule', {
      Name: rule.name,
      EventBusName: rule.bus,
      EventPattern: JSON.stringify(rule.pattern),
    });
    await h.call('PutTargets', {
      Rule: rule.name,
      EventBusName: rule.bus,
      Targets: [{ Id: 't', Arn: lambdaArn(rule.name) }],
    });
  }
  await h.call('CreateArchive', {
    ArchiveName: 'history',
    EventSourceArn: busArn('slbc'),
    ...(archivePattern ? { EventPattern: JSON.stringify(archivePattern) } : {}),
  });
  // three events on slbc at 10:00, 10:30 and 11:00, one on other
  await h.call('PutEvents', {
    Entries: [
      entry({ kind: 'Pod', n: 1 }, { EventBusName: 'slbc', Time: T('2026-02-01T10:00:00Z') }),
      entry({ kind: 'Service', n: 2 }, { EventBusName: 'slbc', Time: T('2026-02-01T10:30:00Z') }),
      entry({ kind: 'Pod', n: 3 }, { EventBusName: 'slbc', Time: T('2026-02-01T11:00:00Z') }),
      entry({ kind: 'Pod', n: 4 }, { EventBusName: 'other', Time: T('2026-02-01T10:15:00Z') }),
    ],
  });
  await h.settle();
  for (const fn of Object.values(fns)) fn.received.length = 0;
  return { ...h, fns };
}

const replayed = (events: unknown[]) =>
  events.map((event) => {
    const e = event as { detail: { n: number }; 'replay-name'?: string };
    return [e.detail.n, e['replay-name']];
  });

describe('archives', () => {
  it('archives the events of its bus, filtered by its pattern, keeping their time', async () => {
    const { call } = await setup({ detail: { kind: ['Pod'] } });
    const described = await call('DescribeArchive', { ArchiveName: 'history' });
    expect(described).toMatchObject({
      ArchiveArn: ARCHIVE_ARN,
      ArchiveName: 'history',
      EventSourceArn: busArn('slbc'),
      State: 'ENABLED',
      EventCount: 2,
      RetentionDays: 0,
      EventPattern: '{"detail":{"kind":["Pod"]}}',
    });
    expect(described.SizeBytes).toBeGreaterThan(200);
    const listed = await call('ListArchives', { EventSourceArn: busArn('slbc') });
    expect(listed.Archives.map((a: { ArchiveName: string }) => a.ArchiveName)).toEqual(['history']);
    expect((await call('ListArchives', { EventSourceArn: busArn('other') })).Archives).toEqual([]);
  });

  it.each([
    [
      'a duplicate name',
      { ArchiveName: 'history', EventSourceArn: busArn('slbc') },
      'ResourceAlreadyExistsException',
    ],
    ['an unknown bus', { ArchiveName: 'a2', EventSourceArn: busArn('nope') }, 'ResourceNotFoundException'],
    ['a source that is not a bus', { ArchiveName: 'a2', EventSourceArn: ARCHIVE_ARN }, 'ValidationException'],
    [
      'a bad pattern',
      { ArchiveName: 'a2', EventSourceArn: busArn('slbc'), EventPattern: '{"a":1}' },
      'InvalidEventPatternException',
    ],
    ['a long name', { ArchiveName: 'a'.repeat(49), EventSourceArn: busArn('slbc') }, 'ValidationException'],
  ])('CreateArchive rejects %s', async (_name, input, code) => {
    const { call } = await setup();
    expect((await apiError(() => call('CreateArchive', input))).code).toBe(code);
  });

  it('drops events past RetentionDays', async () => {
    const { call, clock } = await setup();
    await call('UpdateArchive', { ArchiveName: 'history', RetentionDays: 1 });
    expect((await call('DescribeArchive', { ArchiveName: 'history' })).EventCount).toBe(3);
    clock.advance(86_400_000 + 1);
    expect((await call('DescribeArchive', { ArchiveName: 'history' })).EventCount).toBe(0);
  });

  it('deletes an archive', async () => {
    const { call } = await setup();
    await call('DeleteArchive', { ArchiveName: 'history' });
    expect((await apiError(() => call('DescribeArchive', { ArchiveName: 'history' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('replays', () => {
  const start = (name: string, extra: Record<string, unknown> = {}) => ({
    ReplayName: name,
    EventSourceArn: ARCHIVE_ARN,
    EventStartTime: T('2026-02-01T10:00:00Z'),
    EventEndTime: T('2026-02-01T11:00:00Z'),
    Destination: { Arn: busArn('slbc') },
    ...extra,
  });

  it('re-sends the events in [start, end) to the bus rules with replay-name, without re-archiving', async () => {
    // Prepare
    const { call, fns, settle } = await setup();
    // Act
    const started = await call('StartReplay', start('rebuild'));
    await settle();
    // Assess
    expect(started).toMatchObject({
      ReplayArn: 'arn:aws:events:eu-west-1:123456789012:replay/rebuild',
      State: 'STARTING',
    });
    expect(replayed(fns['all']!.received)).toEqual([
      [1, 'rebuild'],
      [2, 'rebuild'],
    ]);
    expect(replayed(fns['pods']!.received)).toEqual([[1, 'rebuild']]);
    expect(fns['elsewhere']!.received).toEqual([]);
    expect((await call('DescribeArchive', { ArchiveName: 'history' })).EventCount).toBe(3);
    const described = await call('DescribeReplay', { ReplayName: 'rebuild' });
    expect(described).toMatchObject({
      ReplayName: 'rebuild',
      State: 'COMPLETED',
      EventSourceArn: ARCHIVE_ARN,
      Destination: { Arn: busArn('slbc') },
      EventLastReplayedTime: new Date('2026-02-01T10:30:00Z'),
      EventStartTime: new Date('2026-02-01T10:00:00Z'),
    });
    expect(described.ReplayEndTime).toBeInstanceOf(Date);
  });

  it('keeps the original event id and time', async () => {
    const { call, fns, settle } = await setup();
    await call('StartReplay', start('again'));
    await settle();
    expect(fns['pods']!.received[0]).toMatchObject({
      time: '2026-02-01T10:00:00Z',
      detail: { kind: 'Pod', n: 1 },
    });
  });

  it('limits a replay to FilterArns', async () => {
    const { call, fns, settle } = await setup();
    const podsArn = 'arn:aws:events:eu-west-1:123456789012:rule/slbc/pods';
    await call(
      'StartReplay',
      start('only-pods', { Destination: { Arn: busArn('slbc'), FilterArns: [podsArn] } }),
    );
    await settle();
    expect(replayed(fns['pods']!.received)).toEqual([[1, 'only-pods']]);
    expect(fns['all']!.received).toEqual([]);
  });

  it('lets a rule exclude replayed events with exists: false', async () => {
    const { call, service, settle } = await setup();
    const live = recorder(service, 'live');
    await call('PutRule', {
      Name: 'live-only',
      EventBusName: 'slbc',
      EventPattern: JSON.stringify({ 'replay-name': [{ exists: false }] }),
    });
    await call('PutTargets', {
      Rule: 'live-only',
      EventBusName: 'slbc',
      Targets: [{ Id: 't', Arn: lambdaArn('live') }],
    });
    await call('StartReplay', start('r'));
    await settle();
    expect(live.received).toEqual([]);
  });

  it.each([
    [
      'a destination that is not the archive bus',
      { Destination: { Arn: busArn('other') } },
      'ValidationException',
    ],
    ['an unknown archive', { EventSourceArn: `${ARCHIVE_ARN}x` }, 'ResourceNotFoundException'],
    ['a source that is not an archive', { EventSourceArn: busArn('slbc') }, 'ValidationException'],
    ['start after end', { EventStartTime: T('2026-02-02T00:00:00Z') }, 'ValidationException'],
    [
      'a filter rule from another bus',
      {
        Destination: {
          Arn: busArn('slbc'),
          FilterArns: ['arn:aws:events:eu-west-1:123456789012:rule/other/elsewhere'],
        },
      },
      'ResourceNotFoundException',
    ],
    ['no destination', { Destination: undefined }, 'ValidationException'],
    ['a bad name', { ReplayName: 'bad name' }, 'ValidationException'],
  ])('StartReplay rejects %s', async (_name, extra, code) => {
    const { call } = await setup();
    expect((await apiError(() => call('StartReplay', start('r', extra)))).code).toBe(code);
  });

  it('rejects a duplicate name and more than 10 active replays', async () => {
    const { call } = await setup();
    for (let i = 0; i < 10; i++) await call('StartReplay', start(`r${i}`));
    expect((await apiError(() => call('StartReplay', start('r0')))).code).toBe(
      'ResourceAlreadyExistsException',
    );
    expect((await apiError(() => call('StartReplay', start('r10')))).code).toBe('LimitExceededException');
  });

  it('cancels a replay that has not finished, and only such a replay', async () => {
    const { call, fns, settle } = await setup();
    await call('StartReplay', start('stopped'));
    const cancelled = await call('CancelReplay', { ReplayName: 'stopped' });
    await settle();
    expect(cancelled).toMatchObject({ State: 'CANCELLING' });
    expect((await call('DescribeReplay', { ReplayName: 'stopped' })).State).toBe('CANCELLED');
    expect(fns['all']!.received).toEqual([]);
    const error = await apiError(() => call('CancelReplay', { ReplayName: 'stopped' }));
    expect(error.code).toBe('IllegalStatusException');
  });

  it('is RUNNING part-way through a long replay, and CancelReplay stops it there', async () => {
    // Prepare: 250 more Pod events in the window, so the replay runs in three batches
    const { call, fns, settle } = await setup();
    for (let i = 0; i < 250; i += 10)
      await call('PutEvents', {
        Entries: Array.from({ length: 10 }, (_, j) =>
          entry({ kind: 'Pod', n: 100 + i + j }, { EventBusName: 'slbc', Time: T('2026-02-01T10:10:00Z') }),
        ),
      });
    await settle();
    fns['pods']!.received.length = 0;
    // Act
    await call('StartReplay', start('long'));
    await new Promise((resolve) => setImmediate(resolve));
    const midway = await call('DescribeReplay', { ReplayName: 'long' });
    await call('CancelReplay', { ReplayName: 'long' });
    await settle();
    // Assess
    expect(midway.State).toBe('RUNNING');
    expect(midway.EventLastReplayedTime).toEqual(new Date('2026-02-01T10:10:00Z'));
    expect((await call('DescribeReplay', { ReplayName: 'long' })).State).toBe('CANCELLED');
    expect(fns['pods']!.received.length).toBeGreaterThan(0);
    expect(fns['pods']!.received.length).toBeLessThan(251);
  });

  it('fails a replay whose archive is deleted before it runs', async () => {
    const { call, settle } = await setup();
    await call('StartReplay', start('orphan'));
    await call('DeleteArchive', { ArchiveName: 'history' });
    await settle();
    const described = await call('DescribeReplay', { ReplayName: 'orphan' });
    expect(described).toMatchObject({
      State: 'FAILED',
      StateReason: 'The archive or its event bus was deleted.',
    });
  });

  it('lists replays by prefix and state', async () => {
    const { call, settle } = await setup();
    await call('StartReplay', start('a-1'));
    await call('StartReplay', start('b-1'));
    await settle();
    const listed = await call('ListReplays', { NamePrefix: 'a', State: 'COMPLETED' });
    expect(listed.Replays.map((r: { ReplayName: string }) => r.ReplayName)).toEqual(['a-1']);
    expect((await call('ListReplays', { State: 'RUNNING' })).Replays).toEqual([]);
  });
});
