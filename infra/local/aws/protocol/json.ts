/**
 * JSON bodies for JSON 1.1 (EventBridge), JSON 1.0 (DynamoDB faults) and REST-JSON (EKS).
 * Both protocols carry timestamps as epoch seconds, so a Date a service returns is written as a
 * number. Errors name their code in `__type` (JSON RPC) and in the `x-amzn-errortype` header
 * (which REST-JSON reads first), so the SDK maps it to the modelled exception class.
 */
import { AwsApiError } from '../api-error.js';

/** JSON.stringify with Dates as epoch seconds (Date#toJSON runs before a replacer sees the value). */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key, converted) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : converted;
  });
}

export interface JsonErrorBody {
  headers: Record<string, string>;
  body: string;
}

export function jsonRpcError(error: AwsApiError): JsonErrorBody {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (error.queryCode !== undefined) headers['x-amzn-query-error'] = `${error.queryCode};${error.type}`;
  return {
    headers,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

export function restJsonError(error: AwsApiError): JsonErrorBody {
  return {
    headers: { 'x-amzn-errortype': error.code },
    body: JSON.stringify({ message: error.message }),
  };
}

/** Parses a JSON request body; anything but a JSON object is a SerializationException. */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw serializationError(`the request body is not valid JSON: ${(cause as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw serializationError('the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function serializationError(message: string): AwsApiError {
  return new AwsApiError('SerializationException', message);
}
