/**
 * XML bodies for awsQuery (ELBv2, STS) and EC2 query. A service returns a plain Result object;
 * this file frames it:
 *
 *   awsQuery  <RegisterTargetsResponse xmlns="..."><RegisterTargetsResult>...</RegisterTargetsResult>
 *             <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></RegisterTargetsResponse>
 *   EC2       <DescribeVpcsResponse xmlns="..."><requestId>id</requestId>...</DescribeVpcsResponse>
 *
 * Arrays become `<member>` (query) or `<item>` (EC2) lists, Dates ISO-8601, booleans
 * `true`/`false`; null and undefined fields are left out, as AWS leaves out absent members.
 * Errors get each protocol's envelope, which the SDK reads to pick the modelled exception.
 */
import type { AwsApiError } from '../api-error.js';

export type ListElement = 'member' | 'item';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const NEEDS_ESCAPE = /[&<>"']/;

export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

/**
 * The XML of `value`'s members (not wrapped in an element of its own). Built by string concatenation (V8 ropes) rather than arrays of
 * parts: a 1,000-target DescribeTargetHealth answer is ~300 KB and this is the server's hot path.
 */
export function xmlMembers(value: unknown, list: ListElement): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    let xml = '';
    for (const item of value) {
      if (item === null || item === undefined) continue;
      xml += `<${list}>${xmlMembers(item, list)}</${list}>`;
    }
    return xml;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    let xml = '';
    const record = value as Record<string, unknown>;
    for (const name in record) {
      const member = record[name];
      if (member === null || member === undefined) continue;
      xml += `<${name}>${xmlMembers(member, list)}</${name}>`;
    }
    return xml;
  }
  return scalarText(value);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return escapeXml(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function queryResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  const body =
    result === undefined || result === null
      ? ''
      : `<${action}Result>${xmlMembers(result, 'member')}</${action}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function ec2ResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">` +
    `<requestId>${requestId}</requestId>${xmlMembers(result, 'item')}</${action}Response>`
  );
}

export function queryErrorXml(error: AwsApiError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function ec2ErrorXml(error: AwsApiError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
