/** PutEvents and TestEventPattern. */
import { randomUUID } from 'node:crypto';
import { type Input, optionalArray, requiredString, validationError } from './input.js';
import type { EventEnvelope, Rule } from './model.js';
import { compileEventPattern } from './pattern-api.js';
import {
  buildEnvelope,
  entrySize,
  formatEventTime,
  isFailure,
  MAX_ENTRIES_PER_CALL,
  MAX_ENTRY_BYTES,
} from './put-events.js';
import type { Router } from './routing.js';
import type { State } from './state.js';

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export function putEvents(state: State, router: Router, input: Input, maxEntryBytes?: number) {
  const entries = optionalArray(input, 'Entries');
  if (entries === undefined) throw validationError('Parameter Entries is required');
  if (entries.length < 1 || entries.length > MAX_ENTRIES_PER_CALL)
    throw validationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES_PER_CALL} and greater than or equal to 1 (got ${entries.length})`,
    );
  // "The total entry size must be less than 256KB" holds for the request as a whole: AWS fails
  // the call (not one entry) when the entries' sizes, counted as for one entry (eb-putevent-size),
  // add up past the limit. EventBusName is not part of that arithmetic.
  const limit = maxEntryBytes ?? MAX_ENTRY_BYTES;
  let total = 0;
  for (const entry of entries)
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry))
      total += entrySize(entry as Record<string, unknown>);
  if (total > limit) throw validationError('Total size of the entries in the request is over the limit.');
  if (input['EndpointId'] !== undefined && input['EndpointId'] !== null)
    throw validationError('EndpointId (global endpoints) is not supported by the local endpoint');
  const where = {
    account: state.arns.account,
    region: state.arns.region,
    receivedAt: state.clock.now(),
    ...(maxEntryBytes === undefined ? {} : { maxEntryBytes }),
  };
  const results = entries.map((entry): EntryResult => {
    const built = buildEnvelope(entry, where);
    if (isFailure(built)) return built;
    const requestedBus = (entry as Input)['EventBusName'] ?? undefined;
    if (requestedBus !== undefined && typeof requestedBus !== 'string')
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter EventBusName must be a string' };
    let busName: string;
    try {
      busName = state.arns.busName(requestedBus);
    } catch (error) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: (error as Error).message };
    }
    const bus = state.buses.get(busName);
    if (!bus)
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    router.publish(bus, built);
    return { EventId: built.id };
  });
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

/** the fields TestEventPattern's Event must carry (API reference) */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

export function testEventPattern(input: Input) {
  const matches = compileEventPattern(requiredString(input, 'EventPattern'));
  const text = requiredString(input, 'Event');
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw validationError(`Parameter Event is not valid. Reason: not JSON (${(error as Error).message})`);
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    throw validationError('Parameter Event is not valid. Reason: the event must be a JSON object');
  const missing = REQUIRED_EVENT_FIELDS.filter((field) => !(field in event));
  if (missing.length > 0)
    throw validationError(
      `Parameter Event is not valid. Reason: Provided Event is missing required field(s) ${missing.join(', ')}`,
    );
  return { Result: matches(event) };
}

/** the event a scheduled rule sends its targets, as AWS shapes it */
export function scheduledEvent(state: State, rule: Rule): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: state.arns.account,
    time: formatEventTime(state.clock.now()),
    region: state.arns.region,
    resources: [rule.arn],
    detail: {},
  };
}
