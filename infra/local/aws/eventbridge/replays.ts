/**
 * StartReplay, DescribeReplay, ListReplays, CancelReplay, and the replay itself: the archived
 * events whose `time` lies in [EventStartTime, EventEndTime), oldest first, re-sent to the
 * archive's own bus with `replay-name` set (to its rules only, or only to FilterArns).
 * AWS paces replays in one-minute slices of event time; locally a replay runs as fast as the
 * process allows, in batches, so CancelReplay can still stop it part-way.
 */
import { AwsApiError } from '../api-error.js';
import { NAME_PATTERN } from './arns.js';
import type { InFlight } from './in-flight.js';
import {
  type Input,
  optionalArray,
  optionalObject,
  optionalString,
  page,
  requiredString,
  requiredTimestamp,
  validationError,
} from './input.js';
import type { EventEnvelope, Replay } from './model.js';
import { pruneArchive, type Router } from './routing.js';
import { byName, findArchive, findBus, findReplay, notFound, type State } from './state.js';

/** eb-replay-archived-event: active replays per account and Region */
export const MAX_ACTIVE_REPLAYS = 10;
const BATCH = 100;
const ACTIVE = new Set(['STARTING', 'RUNNING', 'CANCELLING']);

export interface ReplayDeps {
  state: State;
  router: Router;
  inFlight: InFlight;
}

function replayName(input: Input): string {
  return requiredString(input, 'ReplayName', { min: 1, max: 64, pattern: NAME_PATTERN });
}

export function startReplay(deps: ReplayDeps, input: Input) {
  const { state } = deps;
  const name = replayName(input);
  const description = optionalString(input, 'Description', { max: 512 });
  const sourceArn = requiredString(input, 'EventSourceArn', { min: 1, max: 1600 });
  const archiveName = state.arns.nameIn(sourceArn, 'archive');
  if (archiveName === undefined) throw validationError(`EventSourceArn ${sourceArn} is not an archive ARN`);
  const archive = findArchive(state, archiveName);
  const start = requiredTimestamp(input, 'EventStartTime');
  const end = requiredTimestamp(input, 'EventEndTime');
  if (start >= end) throw validationError('EventStartTime must be before EventEndTime.');
  const destination = optionalObject(input, 'Destination');
  if (!destination) throw validationError('Parameter Destination is required');
  const destinationArn = requiredString(destination, 'Arn', { min: 1, max: 1600 });
  if (destinationArn !== archive.sourceBusArn)
    throw validationError(
      `Destination.Arn ${destinationArn} is not allowed: events can be replayed only to the archive's event bus ${archive.sourceBusArn}`,
    );
  const bus = findBus(state, state.arns.nameIn(destinationArn, 'event-bus') ?? '');
  const filterArns = optionalArray(destination, 'FilterArns')?.map((arn, i) => {
    if (typeof arn !== 'string') throw validationError(`Destination.FilterArns[${i}] must be a rule ARN`);
    if (![...bus.rules.values()].some((rule) => rule.arn === arn))
      throw notFound(`Rule ${arn} does not exist on event bus ${bus.name}.`);
    return arn;
  });
  if (state.replays.has(name))
    throw new AwsApiError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
  const active = [...state.replays.values()].filter((replay) => ACTIVE.has(replay.state)).length;
  if (active >= MAX_ACTIVE_REPLAYS)
    throw new AwsApiError(
      'LimitExceededException',
      `There are already ${active} active replays; the limit is ${MAX_ACTIVE_REPLAYS}.`,
    );
  const replay: Replay = {
    name,
    arn: state.arns.replay(name),
    archiveArn: archive.arn,
    destinationBusArn: destinationArn,
    eventStartTime: start,
    eventEndTime: end,
    state: 'STARTING',
    startedAt: state.clock.now(),
  };
  if (description !== undefined) replay.description = description;
  if (filterArns !== undefined) replay.filterArns = filterArns;
  state.replays.set(name, replay);
  const release = deps.inFlight.hold();
  setImmediate(() => {
    // a replay that breaks says so in DescribeReplay instead of crashing the endpoint
    run(deps, replay)
      .catch((error: unknown) =>
        finish(deps, replay, 'FAILED', error instanceof Error ? error.message : String(error)),
      )
      .finally(release);
  });
  return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: new Date(replay.startedAt) };
}

function finish(deps: ReplayDeps, replay: Replay, state: Replay['state'], reason?: string): void {
  replay.state = state;
  if (reason !== undefined) replay.stateReason = reason;
  replay.endedAt = deps.state.clock.now();
}

/** read through a call: CancelReplay changes the state while a replay awaits */
function cancelling(replay: Replay): boolean {
  return replay.state === 'CANCELLING';
}

async function run(deps: ReplayDeps, replay: Replay): Promise<void> {
  if (replay.state === 'CANCELLING') return finish(deps, replay, 'CANCELLED');
  replay.state = 'RUNNING';
  const archiveName = deps.state.arns.nameIn(replay.archiveArn, 'archive') ?? '';
  const archive = deps.state.archives.get(archiveName);
  const bus = deps.state.buses.get(deps.state.arns.nameIn(replay.destinationBusArn, 'event-bus') ?? '');
  if (!archive || !bus) return finish(deps, replay, 'FAILED', 'The archive or its event bus was deleted.');
  pruneArchive(archive, deps.state.clock.now());
  const selected = archive.events
    .filter((entry) => entry.eventTime >= replay.eventStartTime && entry.eventTime < replay.eventEndTime)
    .sort((a, b) => a.eventTime - b.eventTime);
  const onlyRules = replay.filterArns ? new Set(replay.filterArns) : undefined;
  for (let i = 0; i < selected.length; i++) {
    if (i > 0 && i % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    if (cancelling(replay)) return finish(deps, replay, 'CANCELLED');
    const entry = selected[i]!;
    const event = JSON.parse(entry.eventJson) as EventEnvelope;
    deps.router.replay(bus, { ...event, 'replay-name': replay.name }, onlyRules);
    replay.lastReplayedEventTime = entry.eventTime;
  }
  finish(deps, replay, 'COMPLETED');
}

function times(replay: Replay) {
  return {
    EventStartTime: new Date(replay.eventStartTime),
    EventEndTime: new Date(replay.eventEndTime),
    ...(replay.lastReplayedEventTime === undefined
      ? {}
      : { EventLastReplayedTime: new Date(replay.lastReplayedEventTime) }),
    ReplayStartTime: new Date(replay.startedAt),
    ...(replay.endedAt === undefined ? {} : { ReplayEndTime: new Date(replay.endedAt) }),
  };
}

export function describeReplay(state: State, input: Input) {
  const replay = findReplay(state, replayName(input));
  return {
    ReplayName: replay.name,
    ReplayArn: replay.arn,
    ...(replay.description === undefined ? {} : { Description: replay.description }),
    State: replay.state,
    ...(replay.stateReason === undefined ? {} : { StateReason: replay.stateReason }),
    EventSourceArn: replay.archiveArn,
    Destination: {
      Arn: replay.destinationBusArn,
      ...(replay.filterArns === undefined ? {} : { FilterArns: replay.filterArns }),
    },
    ...times(replay),
  };
}

export function listReplays(state: State, input: Input) {
  const prefix = optionalString(input, 'NamePrefix', { min: 1, max: 64 }) ?? '';
  const wantedState = optionalString(input, 'State');
  const source = optionalString(input, 'EventSourceArn');
  const listed = page(
    byName(state.replays.values()).filter(
      (replay) =>
        replay.name.startsWith(prefix) &&
        (wantedState === undefined || replay.state === wantedState) &&
        (source === undefined || replay.archiveArn === source),
    ),
    input,
  );
  return {
    Replays: listed.items.map((replay) => ({
      ReplayName: replay.name,
      EventSourceArn: replay.archiveArn,
      State: replay.state,
      ...(replay.stateReason === undefined ? {} : { StateReason: replay.stateReason }),
      ...times(replay),
    })),
    ...(listed.NextToken ? { NextToken: listed.NextToken } : {}),
  };
}

export function cancelReplay(state: State, input: Input) {
  const replay = findReplay(state, replayName(input));
  if (replay.state !== 'STARTING' && replay.state !== 'RUNNING')
    throw new AwsApiError(
      'IllegalStatusException',
      `Replay ${replay.name} is ${replay.state} and can't be cancelled.`,
    );
  replay.state = 'CANCELLING';
  return { ReplayArn: replay.arn, State: replay.state };
}

/** archives and replays in use block nothing, but a stopped service cancels running replays */
export function cancelAll(state: State): void {
  for (const replay of state.replays.values()) if (ACTIVE.has(replay.state)) replay.state = 'CANCELLING';
}
