/**
 * PutEvents entries: per-entry validation (a bad entry fails alone, in the response, never
 * as a thrown error), AWS's entry-size arithmetic, and the envelope an accepted entry becomes.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from './model.js';

export const MAX_ENTRIES_PER_CALL = 10;
/** "The total entry size must be less than 256KB" (eb-putevent-size) */
export const MAX_ENTRY_BYTES = 256 * 1024;
/** "PutEvents will only process nested JSON up to 1100 levels deep" */
export const MAX_DETAIL_DEPTH = 1100;

export interface EntryFailure {
  ErrorCode: string;
  ErrorMessage: string;
}

/**
 * AWS's documented arithmetic: Time (if set) counts 14 bytes; Source, DetailType, Detail and
 * each Resources entry count their UTF-8 bytes.
 */
export function entrySize(entry: Record<string, unknown>): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  let size = entry['Time'] === undefined || entry['Time'] === null ? 0 : 14;
  size += bytes(entry['Source']) + bytes(entry['DetailType']) + bytes(entry['Detail']);
  if (Array.isArray(entry['Resources'])) for (const resource of entry['Resources']) size += bytes(resource);
  return size;
}

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child));
  return deepest + 1;
}

function fail(ErrorCode: string, ErrorMessage: string): EntryFailure {
  return { ErrorCode, ErrorMessage };
}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

/** RFC 3339 at seconds precision, as EventBridge writes `time` */
export function formatEventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** checks one entry and builds its envelope; `receivedAt` stands in for a missing Time */
export function buildEnvelope(
  entry: unknown,
  where: { account: string; region: string; receivedAt: number; maxEntryBytes?: number },
): EventEnvelope | EntryFailure {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    return fail('InvalidArgument', 'Each entry must be a structure with Source, DetailType and Detail');
  const fields = entry as Record<string, unknown>;
  const { Source: source, DetailType: detailType, Detail: detailText, Resources: resources } = fields;
  for (const [name, value] of [
    ['Source', source],
    ['DetailType', detailType],
    ['Detail', detailText],
  ] as const) {
    if (typeof value !== 'string' || value === '')
      return fail(
        'InvalidArgument',
        `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
      );
  }
  const size = entrySize(fields);
  const limit = where.maxEntryBytes ?? MAX_ENTRY_BYTES;
  if (size > limit)
    return fail(
      'InvalidArgument',
      `Entry size is ${size} bytes; the limit is ${limit} bytes (${Math.round(limit / 1024)} KB).`,
    );
  if ((source as string).startsWith('aws.'))
    return fail('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
  let detail: unknown;
  try {
    detail = JSON.parse(detailText as string);
  } catch (error) {
    return fail('MalformedDetail', `Detail is malformed: ${(error as Error).message}`);
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
    return fail('MalformedDetail', 'Detail is malformed: it must be a JSON object.');
  if (depth(detail) > MAX_DETAIL_DEPTH)
    return fail('MalformedDetail', `Detail is malformed: nested deeper than ${MAX_DETAIL_DEPTH} levels.`);
  if (resources !== undefined && resources !== null) {
    if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string'))
      return fail(
        'InvalidArgument',
        'Parameter Resources is not valid. Reason: it must be a list of strings.',
      );
  }
  const time =
    fields['Time'] === undefined || fields['Time'] === null ? where.receivedAt : timeOf(fields['Time']);
  if (time === undefined || !Number.isFinite(time))
    return fail('InvalidArgument', `Parameter Time is not valid: ${String(fields['Time'])}`);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType as string,
    source: source as string,
    account: where.account,
    time: formatEventTime(time),
    region: where.region,
    resources: (resources as string[] | undefined) ?? [],
    detail: detail as Record<string, unknown>,
  };
}

export function isFailure(result: EventEnvelope | EntryFailure): result is EntryFailure {
  return 'ErrorCode' in result;
}
