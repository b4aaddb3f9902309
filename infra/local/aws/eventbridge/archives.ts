/** CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive. */
import { AwsApiError } from '../api-error.js';
import { NAME_PATTERN } from './arns.js';
import {
  type Input,
  optionalInteger,
  optionalString,
  page,
  requiredString,
  validationError,
} from './input.js';
import type { Archive } from './model.js';
import { compileEventPattern } from './pattern-api.js';
import { pruneArchive } from './routing.js';
import { byName, findArchive, findBus, type State } from './state.js';

function archiveName(input: Input): string {
  return requiredString(input, 'ArchiveName', { min: 1, max: 48, pattern: NAME_PATTERN });
}

function summary(state: State, archive: Archive) {
  pruneArchive(archive, state.clock.now());
  return {
    ArchiveName: archive.name,
    EventSourceArn: archive.sourceBusArn,
    State: 'ENABLED',
    RetentionDays: archive.retentionDays,
    SizeBytes: archive.events.reduce((sum, entry) => sum + entry.sizeBytes, 0),
    EventCount: archive.events.length,
    CreationTime: new Date(archive.createdAt),
  };
}

export function createArchive(state: State, input: Input) {
  const name = archiveName(input);
  const sourceArn = requiredString(input, 'EventSourceArn', { min: 1, max: 1600 });
  const busName = state.arns.nameIn(sourceArn, 'event-bus');
  if (busName === undefined)
    throw validationError(`EventSourceArn ${sourceArn} is not an event bus ARN of this account and Region`);
  findBus(state, busName);
  if (state.archives.has(name))
    throw new AwsApiError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
  const archive: Archive = {
    name,
    arn: state.arns.archive(name),
    sourceBusArn: sourceArn,
    retentionDays: optionalInteger(input, 'RetentionDays', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    createdAt: state.clock.now(),
    events: [],
  };
  applyOptional(archive, input);
  state.archives.set(name, archive);
  state.store?.saveDefinitions(state.archives.values());
  return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) };
}

/** reads everything first, so a bad parameter leaves the archive unchanged */
function applyOptional(archive: Archive, input: Input): void {
  const description = optionalString(input, 'Description', { max: 512 });
  const pattern = optionalString(input, 'EventPattern');
  const matches = pattern === undefined ? undefined : compileEventPattern(pattern);
  if (description !== undefined) archive.description = description;
  if (pattern !== undefined && matches !== undefined) {
    archive.matches = matches;
    archive.eventPattern = pattern;
  }
}

export function describeArchive(state: State, input: Input) {
  const archive = findArchive(state, archiveName(input));
  return {
    ArchiveArn: archive.arn,
    ...summary(state, archive),
    ...(archive.description === undefined ? {} : { Description: archive.description }),
    ...(archive.eventPattern === undefined ? {} : { EventPattern: archive.eventPattern }),
  };
}

export function listArchives(state: State, input: Input) {
  const prefix = optionalString(input, 'NamePrefix', { min: 1, max: 48 }) ?? '';
  const source = optionalString(input, 'EventSourceArn');
  const wantedState = optionalString(input, 'State');
  const listed = page(
    byName(state.archives.values()).filter(
      (archive) =>
        archive.name.startsWith(prefix) &&
        (source === undefined || archive.sourceBusArn === source) &&
        (wantedState === undefined || wantedState === 'ENABLED'),
    ),
    input,
  );
  return {
    Archives: listed.items.map((archive) => summary(state, archive)),
    ...(listed.NextToken ? { NextToken: listed.NextToken } : {}),
  };
}

export function updateArchive(state: State, input: Input) {
  const archive = findArchive(state, archiveName(input));
  const retention = optionalInteger(input, 'RetentionDays', 0, Number.MAX_SAFE_INTEGER);
  applyOptional(archive, input);
  if (retention !== undefined) archive.retentionDays = retention;
  state.store?.saveDefinitions(state.archives.values());
  return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) };
}

export function deleteArchive(state: State, input: Input) {
  const archive = findArchive(state, archiveName(input));
  state.archives.delete(archive.name);
  state.store?.saveDefinitions(state.archives.values());
  state.store?.remove(archive.name);
  return {};
}
