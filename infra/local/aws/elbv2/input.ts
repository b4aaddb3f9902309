/**
 * Reading awsQuery input. Scalars arrive as strings, exactly as on the wire, so every number
 * and boolean is converted here and rejected with AWS's `ValidationError` naming the field
 * when it does not parse. Unit tests may pass real numbers and booleans; both are accepted.
 */
import { AwsApiError } from '../api-error.js';

export type Input = Record<string, unknown>;

export function fail(code: string, message: string): never {
  throw new AwsApiError(code, message);
}

export function validationError(message: string): never {
  fail('ValidationError', message);
}

function constraint(value: unknown, field: string, rule: string): never {
  validationError(`Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);
}

export function optionalString(input: Input, field: string, path = field): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') constraint(JSON.stringify(value), path, 'Member must be a string');
  return value;
}

export function requiredString(input: Input, field: string, path = field): string {
  const value = optionalString(input, field, path);
  if (value === undefined || value === '') validationError(`${path} is required`);
  return value;
}

export function optionalInt(
  input: Input,
  field: string,
  range: { min: number; max: number },
  path = field,
): number | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(parsed)) constraint(value, path, 'Member must be an integer');
  if (parsed < range.min)
    constraint(value, path, `Member must have value greater than or equal to ${range.min}`);
  if (parsed > range.max)
    constraint(value, path, `Member must have value less than or equal to ${range.max}`);
  return parsed;
}

export function requiredInt(input: Input, field: string, range: { min: number; max: number }, path = field) {
  const value = optionalInt(input, field, range, path);
  if (value === undefined) validationError(`${path} is required`);
  return value;
}

export function optionalBool(input: Input, field: string, path = field): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  constraint(value, path, "Member must be 'true' or 'false'");
}

export function optionalEnum<T extends string>(
  input: Input,
  field: string,
  allowed: readonly T[],
  path = field,
): T | undefined {
  const value = optionalString(input, field, path);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    constraint(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return value as T;
}

/** a list of structures, e.g. `Targets`; absent means empty */
export function records(input: Input, field: string, path = field): Input[] {
  const value = input[field];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) constraint(JSON.stringify(value), path, 'Member must be a list');
  return value.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      constraint(JSON.stringify(item), `${path}.member.${index + 1}`, 'Member must be a structure');
    return item as Input;
  });
}

/** a list of strings, e.g. `LoadBalancerArns`; absent means empty */
export function strings(input: Input, field: string, path = field): string[] {
  const value = input[field];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) constraint(JSON.stringify(value), path, 'Member must be a list');
  return value.map((item, index) => {
    if (typeof item !== 'string')
      constraint(JSON.stringify(item), `${path}.member.${index + 1}`, 'Member must be a string');
    return item;
  });
}

/** a nested structure, e.g. `Matcher`; absent means undefined */
export function record(input: Input, field: string, path = field): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    constraint(JSON.stringify(value), path, 'Member must be a structure');
  return value as Input;
}

/**
 * AWS's rule for load balancer and target group names: at most 32 characters, only
 * alphanumerics and hyphens, no hyphen at either end (and, for load balancers, no `internal-`
 * prefix, since that prefix is how AWS marks internal DNS names).
 */
export function validateResourceName(name: string, kind: 'load balancer' | 'target group'): void {
  const quoted = `${kind === 'load balancer' ? 'Load balancer' : 'Target group'} name '${name}'`;
  if (name.length === 0 || name.length > 32)
    validationError(`${quoted} cannot be longer than '32' characters and cannot be empty`);
  if (!/^[A-Za-z0-9-]+$/.test(name))
    validationError(`${quoted} can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-'))
    validationError(`${quoted} cannot begin or end with a hyphen`);
  if (kind === 'load balancer' && name.startsWith('internal-'))
    validationError(`${quoted} cannot begin with 'internal-'`);
}

/** `Marker` + `PageSize` over an already ordered list; markers are opaque offsets */
export function paginate<T>(
  items: readonly T[],
  input: Input,
): { page: T[]; nextMarker: string | undefined } {
  const pageSize = optionalInt(input, 'PageSize', { min: 1, max: 400 }) ?? 400;
  const marker = optionalString(input, 'Marker');
  let offset = 0;
  if (marker !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!decoded) validationError(`Marker '${marker}' is not valid`);
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return {
    page,
    nextMarker: next < items.length ? Buffer.from(`o${next}`, 'utf8').toString('base64url') : undefined,
  };
}
