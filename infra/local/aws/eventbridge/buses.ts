/** CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus. */
import { AwsApiError } from '../api-error.js';
import { BUS_NAME_PATTERN } from './arns.js';
import { type Input, optionalString, page, requiredString, validationError } from './input.js';
import type { Bus } from './model.js';
import { byName, findBus, type State } from './state.js';
import { applyTags, readTags } from './tags.js';

/** eb-quota: event buses per account */
export const MAX_BUSES = 100;

export function createDefaultBus(state: State): void {
  const now = state.clock.now();
  state.buses.set('default', {
    name: 'default',
    arn: state.arns.bus('default'),
    createdAt: now,
    rules: new Map(),
    tags: new Map(),
  });
}

function describe(bus: Bus) {
  const time = new Date(bus.createdAt);
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description === undefined ? {} : { Description: bus.description }),
    CreationTime: time,
    LastModifiedTime: time,
  };
}

export function createEventBus(state: State, input: Input) {
  const name = requiredString(input, 'Name', { min: 1, max: 256, pattern: BUS_NAME_PATTERN });
  const description = optionalString(input, 'Description', { max: 512 });
  if (name.startsWith('aws.') && optionalString(input, 'EventSourceName') === undefined)
    throw validationError(
      `Event bus name ${name} is reserved for partner event sources; it needs EventSourceName.`,
    );
  if (state.buses.has(name))
    throw new AwsApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  if (state.buses.size >= MAX_BUSES)
    throw new AwsApiError(
      'LimitExceededException',
      `The account already has the maximum of ${MAX_BUSES} event buses.`,
    );
  const tags = readTags(input);
  const bus: Bus = {
    name,
    arn: state.arns.bus(name),
    createdAt: state.clock.now(),
    rules: new Map(),
    tags: new Map(),
  };
  if (tags) applyTags(bus.tags, tags, bus.arn);
  if (description !== undefined) bus.description = description;
  state.buses.set(name, bus);
  return { EventBusArn: bus.arn, ...(description === undefined ? {} : { Description: description }) };
}

export function describeEventBus(state: State, input: Input) {
  return describe(findBus(state, state.arns.busName(optionalString(input, 'Name'))));
}

export function listEventBuses(state: State, input: Input) {
  const prefix = optionalString(input, 'NamePrefix', { min: 1, max: 256 }) ?? '';
  const listed = page(
    byName(state.buses.values()).filter((bus) => bus.name.startsWith(prefix)),
    input,
  );
  return {
    EventBuses: listed.items.map(describe),
    ...(listed.NextToken ? { NextToken: listed.NextToken } : {}),
  };
}

/** deleting a bus deletes its rules (and their schedules); an unknown bus is not an error */
export function deleteEventBus(state: State, input: Input) {
  const name = state.arns.busName(requiredString(input, 'Name', { min: 1, max: 256 }));
  if (name === 'default') throw validationError('Cannot delete event bus default.');
  const bus = state.buses.get(name);
  if (bus) for (const rule of bus.rules.values()) rule.stopSchedule?.();
  state.buses.delete(name);
  return {};
}

/** changes a bus's Description (the other UpdateEventBus settings have no local meaning) */
export function updateEventBus(state: State, input: Input) {
  const bus = findBus(state, state.arns.busName(optionalString(input, 'Name', { min: 1, max: 256 })));
  const description = optionalString(input, 'Description', { max: 512 });
  if (description !== undefined) bus.description = description;
  return {
    Arn: bus.arn,
    Name: bus.name,
    ...(bus.description === undefined ? {} : { Description: bus.description }),
  };
}
