/**
 * Writes one response in the protocol its request came in. Every path ends here, so an error
 * is always an AWS error shape with a 4xx/5xx status, never an empty socket or a stack trace.
 */
import type { ServerResponse } from 'node:http';
import { AwsApiError } from '../api-error.js';
import { jsonRpcError, restJsonError, toAwsJson } from './json.js';
import { ec2ErrorXml, ec2ResponseXml, queryErrorXml, queryResponseXml } from './xml.js';

/**
 * `query` is awsQuery (ELBv2, STS); `json` JSON 1.1 (EventBridge, WAFv2, Shield); `dynamodb`
 * JSON 1.0 (dynalite); `json-1.0` JSON 1.0 of the endpoint's own services (SQS).
 */
export type Protocol = 'query' | 'ec2' | 'json' | 'json-1.0' | 'dynamodb' | 'rest-json';

/** The code AWS throttles with in each protocol; the SDK retries all of them as throttling. */
export function throttlingError(protocol: Protocol): AwsApiError {
  switch (protocol) {
    case 'query':
      return new AwsApiError('Throttling', 'Rate exceeded');
    case 'ec2':
      return new AwsApiError('RequestLimitExceeded', 'Request limit exceeded.');
    default:
      return new AwsApiError('ThrottlingException', 'Rate exceeded');
  }
}

/** Anything thrown that is not an AwsApiError is the endpoint's bug: InternalFailure, 500. */
export function asApiError(error: unknown): AwsApiError {
  if (error instanceof AwsApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsApiError('InternalFailure', `The local endpoint failed: ${message}`, 500);
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // encoded once: Buffer.byteLength and then the socket would each walk a large body
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': bytes.length,
    'x-amzn-requestid': requestId,
    ...extra,
  });
  res.end(bytes);
}

export interface QueryAnswer {
  action: string;
  xmlns: string;
  result: unknown;
}

interface Encoded {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

const XML = 'text/xml';

function encodeResult(protocol: Protocol, answer: QueryAnswer, requestId: string): Encoded {
  switch (protocol) {
    case 'query':
      return {
        contentType: XML,
        body: queryResponseXml(answer.action, answer.xmlns, answer.result, requestId),
      };
    case 'ec2':
      return {
        contentType: XML,
        body: ec2ResponseXml(answer.action, answer.xmlns, answer.result, requestId),
      };
    case 'json':
      return { contentType: 'application/x-amz-json-1.1', body: toAwsJson(answer.result) };
    case 'dynamodb':
    case 'json-1.0':
      return { contentType: 'application/x-amz-json-1.0', body: toAwsJson(answer.result) };
    case 'rest-json':
      return { contentType: 'application/json', body: toAwsJson(answer.result) };
  }
}

function encodeError(protocol: Protocol, error: AwsApiError, requestId: string): Encoded {
  switch (protocol) {
    case 'query':
      return { contentType: XML, body: queryErrorXml(error, requestId) };
    case 'ec2':
      return { contentType: XML, body: ec2ErrorXml(error, requestId) };
    case 'json':
      return { contentType: 'application/x-amz-json-1.1', ...jsonRpcError(error) };
    case 'json-1.0':
      return { contentType: 'application/x-amz-json-1.0', ...jsonRpcError(error) };
    case 'dynamodb': {
      // DynamoDB names its errors with the service namespace, as dynalite does for its own
      const namespaced = new AwsApiError(
        `com.amazonaws.dynamodb.v20120810#${error.code}`,
        error.message,
        error.status,
      );
      return { contentType: 'application/x-amz-json-1.0', body: jsonRpcError(namespaced).body };
    }
    case 'rest-json':
      return { contentType: 'application/json', ...restJsonError(error) };
  }
}

export function sendResult(
  res: ServerResponse,
  protocol: Protocol,
  answer: QueryAnswer,
  requestId: string,
): void {
  const { contentType, body, headers } = encodeResult(protocol, answer, requestId);
  send(res, 200, contentType, body, requestId, headers);
}

export function sendError(
  res: ServerResponse,
  protocol: Protocol,
  error: AwsApiError,
  requestId: string,
): void {
  const { contentType, body, headers } = encodeError(protocol, error, requestId);
  send(res, error.status, contentType, body, requestId, headers);
}
