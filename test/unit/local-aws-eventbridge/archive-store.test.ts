import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import { createEventBridgeService } from '../../../infra/local/aws/eventbridge/index.js';
import { busArn, contextWith, entry, lambdaArn } from './harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slbc-eventbridge-'));
  dirs.push(dir);
  return dir;
}

async function busWithArchive(dataDir: string) {
  const service = createEventBridgeService(contextWith(virtualClock()), { dataDir });
  await service.handle('CreateEventBus', { Name: 'slbc' });
  return service;
}

describe('archives kept in dataDir', () => {
  it('survive a restart and replay to the re-created bus', async () => {
    // Prepare: archive two events, then drop the service
    const dataDir = freshDir();
    const first = await busWithArchive(dataDir);
    await first.handle('CreateArchive', {
      ArchiveName: 'history',
      EventSourceArn: busArn('slbc'),
      EventPattern: '{"detail":{"keep":[true]}}',
    });
    await first.handle('PutEvents', {
      Entries: [
        entry(
          { keep: true, n: 1 },
          { EventBusName: 'slbc', Time: Date.parse('2026-02-01T10:00:00Z') / 1000 },
        ),
        entry({ keep: false, n: 2 }, { EventBusName: 'slbc' }),
      ],
    });
    first.stop();
    // Act: a new service on the same directory
    const second = await busWithArchive(dataDir);
    const received: unknown[] = [];
    second.registerLambda('fn', (event) => {
      received.push(event);
    });
    await second.handle('PutRule', {
      Name: 'r',
      EventBusName: 'slbc',
      EventPattern: '{"source":["slbc.test"]}',
    });
    await second.handle('PutTargets', {
      Rule: 'r',
      EventBusName: 'slbc',
      Targets: [{ Id: 't', Arn: lambdaArn('fn') }],
    });
    const described = (await second.handle('DescribeArchive', { ArchiveName: 'history' })) as Record<
      string,
      unknown
    >;
    await second.handle('StartReplay', {
      ReplayName: 'after-restart',
      EventSourceArn: described['ArchiveArn'],
      EventStartTime: Date.parse('2026-02-01T00:00:00Z') / 1000,
      EventEndTime: Date.parse('2026-02-02T00:00:00Z') / 1000,
      Destination: { Arn: busArn('slbc') },
    });
    await second.drain();
    // Assess
    expect(described).toMatchObject({ EventCount: 1, EventPattern: '{"detail":{"keep":[true]}}' });
    expect(received).toEqual([
      expect.objectContaining({ detail: { keep: true, n: 1 }, 'replay-name': 'after-restart' }),
    ]);
  });

  it('forgets a deleted archive', async () => {
    const dataDir = freshDir();
    const first = await busWithArchive(dataDir);
    await first.handle('CreateArchive', { ArchiveName: 'gone', EventSourceArn: busArn('slbc') });
    await first.handle('PutEvents', { Entries: [entry({}, { EventBusName: 'slbc' })] });
    await first.handle('DeleteArchive', { ArchiveName: 'gone' });
    const second = await busWithArchive(dataDir);
    expect(((await second.handle('ListArchives', {})) as { Archives: unknown[] }).Archives).toEqual([]);
  });

  it('names the file and line of a damaged archive', async () => {
    const dataDir = freshDir();
    const first = await busWithArchive(dataDir);
    await first.handle('CreateArchive', { ArchiveName: 'damaged', EventSourceArn: busArn('slbc') });
    appendFileSync(join(dataDir, 'archive-damaged.jsonl'), '{"event": \n');
    await expect(busWithArchive(dataDir)).rejects.toThrow(
      /archive-damaged\.jsonl line 1 is not an archived event/,
    );
  });
});
