/**
 * Reading EC2 query input as EC2 validates it: a missing required parameter is
 * `MissingParameter`, a malformed one `InvalidParameterValue`, each naming the parameter.
 */
import { AwsApiError } from '../api-error.js';

export type Input = Record<string, unknown>;

export function missing(name: string): AwsApiError {
  return new AwsApiError('MissingParameter', `The request must contain the parameter ${name}`);
}

export function invalidValue(name: string, value: unknown, why: string): AwsApiError {
  return new AwsApiError(
    'InvalidParameterValue',
    `Value (${String(value)}) for parameter ${name} is invalid. ${why}`,
  );
}

/** A list parameter; absent or empty (`Name=`) is an empty list. */
export function list(input: Input, name: string): unknown[] {
  const value = input[name];
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw invalidValue(name, value, 'Expected a list (Name.1, Name.2, ...).');
  return value;
}

export function stringList(input: Input, name: string): string[] {
  return list(input, name).map((item, index) => {
    if (typeof item !== 'string')
      throw invalidValue(`${name}.${index + 1}`, '(structure)', 'Expected a string.');
    return item;
  });
}

export function structList(input: Input, name: string): Input[] {
  return list(input, name).map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalidValue(`${name}.${index + 1}`, item, 'Expected a structure.');
    }
    return item as Input;
  });
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidValue(name, '(structure)', 'Expected a string.');
  return value;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function optionalInt(input: Input, name: string, min: number, max: number): number | undefined {
  const value = optionalString(input, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || number < min || number > max) {
    throw invalidValue(name, value, `Expected an integer from ${min} to ${max}.`);
  }
  return number;
}
