/**
 * Replaying the bus archive, against AWS or the local endpoint alike: StartReplay from the
 * archive back onto its bus, then DescribeReplay until it is COMPLETED or FAILED. Progress is
 * how far EventLastReplayedTime has moved through the window.
 */
import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  type EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';

export interface ReplayOptions {
  busName: string;
  archiveName: string;
  from: Date;
  to: Date;
  /** replay names are unique per account and Region */
  replayName?: string;
  pollMs?: number;
  /** 0..1 */
  onProgress?: (fraction: number, state: string) => void;
  /** gives up waiting after this much wall time (default 10 minutes) */
  timeoutMs?: number;
}

export interface ReplayOutcome {
  name: string;
  state: string;
  reason?: string;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export async function replayArchive(
  events: EventBridgeClient,
  options: ReplayOptions,
): Promise<ReplayOutcome> {
  const [archive, bus] = await Promise.all([
    events.send(new DescribeArchiveCommand({ ArchiveName: options.archiveName })),
    events.send(new DescribeEventBusCommand({ Name: options.busName })),
  ]);
  if (!archive.ArchiveArn) throw new Error(`archive ${options.archiveName} has no ARN`);
  if (!bus.Arn) throw new Error(`event bus ${options.busName} has no ARN`);
  const name = options.replayName ?? `slbc-replay-${Date.now()}`;
  await events.send(
    new StartReplayCommand({
      ReplayName: name,
      EventSourceArn: archive.ArchiveArn,
      EventStartTime: options.from,
      EventEndTime: options.to,
      Destination: { Arn: bus.Arn },
    }),
  );
  const span = Math.max(1, options.to.getTime() - options.from.getTime());
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const replay = await events.send(new DescribeReplayCommand({ ReplayName: name }));
    const state = replay.State ?? 'UNKNOWN';
    const last = replay.EventLastReplayedTime?.getTime();
    const fraction =
      state === 'COMPLETED' ? 1 : last === undefined ? 0 : (last - options.from.getTime()) / span;
    options.onProgress?.(Math.min(1, Math.max(0, fraction)), state);
    if (FINAL.has(state))
      return { name, state, ...(replay.StateReason ? { reason: replay.StateReason } : {}) };
    if (Date.now() > deadline) return { name, state, reason: 'gave up waiting for the replay to finish' };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}
