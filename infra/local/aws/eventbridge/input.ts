/**
 * Reading API input the way EventBridge validates it: a missing or malformed parameter is a
 * `ValidationException` whose message names the parameter and the constraint it broke.
 */
import { AwsApiError } from '../api-error.js';

export type Input = Record<string, unknown>;

export function validationError(message: string): AwsApiError {
  return new AwsApiError('ValidationException', message);
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

function constraintError(field: string, value: unknown, constraint: string): AwsApiError {
  return validationError(
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function optionalString(input: Input, field: string, rule: StringRule = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw validationError(`Parameter ${field} must be a string, got ${typeof value}`);
  if (rule.min !== undefined && value.length < rule.min)
    throw constraintError(field, value, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && value.length > rule.max)
    throw constraintError(field, value, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(value))
    throw constraintError(
      field,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
    );
  return value;
}

export function requiredString(input: Input, field: string, rule: StringRule = {}): string {
  const value = optionalString(input, field, rule);
  if (value === undefined) throw validationError(`Parameter ${field} is required`);
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw validationError(`Parameter ${field} must be an integer, got ${JSON.stringify(value)}`);
  if (value < min)
    throw constraintError(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintError(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalArray(input: Input, field: string): unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validationError(`Parameter ${field} must be a list`);
  return value;
}

export function optionalObject(input: Input, field: string): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw validationError(`Parameter ${field} must be a structure`);
  return value as Input;
}

/**
 * Timestamps arrive as epoch seconds (the JSON protocols' wire form), but a caller inside the
 * process may pass a Date or an ISO string; all three become epoch milliseconds.
 */
export function optionalTimestamp(input: Input, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value * 1000
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms))
    throw validationError(`Parameter ${field} is not a valid timestamp: ${String(value)}`);
  return ms;
}

export function requiredTimestamp(input: Input, field: string): number {
  const value = optionalTimestamp(input, field);
  if (value === undefined) throw validationError(`Parameter ${field} is required`);
  return value;
}

/** ListX NextToken/Limit paging over an in-memory, already sorted list */
export function page<T>(items: T[], input: Input): { items: T[]; NextToken?: string } {
  const limit = optionalInteger(input, 'Limit', 1, 100) ?? 100;
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw validationError(`Parameter NextToken is not a token this service issued: ${token}`);
  const end = start + limit;
  return end < items.length
    ? { items: items.slice(start, end), NextToken: String(end) }
    : { items: items.slice(start) };
}
