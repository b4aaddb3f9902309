/**
 * Reading SQS's JSON input: each parameter checked against its documented type and range, and
 * every refusal names the parameter (InvalidParameterValue / MissingParameter, as SQS answers).
 */
import { invalidParameter, missingParameter, sqsError } from './errors.js';

export type Input = Record<string, unknown>;

export function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null) throw missingParameter(name);
  if (typeof value !== 'string') throw invalidParameter(name, value, 'must be a string');
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  return input[name] === undefined || input[name] === null ? undefined : requiredString(input, name);
}

/** An integer parameter in [min, max]; `fallback` when absent. */
export function integer(input: Input, name: string, min: number, max: number, fallback: number): number {
  const value = input[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParameter(name, value, `must be an integer from ${min} to ${max}`);
  return value;
}

/** Queue names: 1 to 80 of alphanumerics, hyphens and underscores (no FIFO `.fifo` locally). */
export function queueName(input: Input): string {
  const name = requiredString(input, 'QueueName');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
    throw invalidParameter(
      'QueueName',
      name,
      'can only include alphanumeric characters, hyphens, or underscores; 1 to 80 in length (FIFO queues are not emulated)',
    );
  return name;
}

/** Characters SQS accepts in a body: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. */
const INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** A message body: at least one character, only allowed characters, at most `maxBytes`. */
export function messageBody(body: unknown, maxBytes: number, where = 'MessageBody'): string {
  if (body === undefined || body === null) throw missingParameter(where);
  if (typeof body !== 'string') throw invalidParameter(where, body, 'must be a string');
  if (body.length === 0)
    throw invalidParameter(where, body, 'the message must contain at least one character');
  if (INVALID_BODY_CHARACTER.test(body))
    throw sqsError(
      'InvalidMessageContents',
      'InvalidMessageContents',
      `${where} contains characters outside the allowed set`,
    );
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes)
    throw invalidParameter(where, `${bytes} bytes`, `message must be shorter than ${maxBytes} bytes`);
  return body;
}

/** MessageAttributes are kept and returned as given; their bytes count towards the size limit. */
export function messageAttributes(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParameter('MessageAttributes', value, 'must be a map of name to attribute value');
  for (const [name, attribute] of Object.entries(value as Input)) {
    const dataType = (attribute as Input | null)?.['DataType'];
    if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(dataType))
      throw invalidParameter(
        `MessageAttributes.${name}.DataType`,
        dataType,
        'must be String, Number or Binary (optionally with a custom suffix)',
      );
  }
  return value as Record<string, unknown>;
}

export function attributeBytes(attributes: Record<string, unknown> | undefined): number {
  if (attributes === undefined) return 0;
  let bytes = 0;
  for (const [name, attribute] of Object.entries(attributes)) {
    const { DataType, StringValue, BinaryValue } = attribute as Input;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(DataType ?? ''));
    if (typeof StringValue === 'string') bytes += Buffer.byteLength(StringValue);
    if (typeof BinaryValue === 'string') bytes += Buffer.from(BinaryValue, 'base64').length;
  }
  return bytes;
}
