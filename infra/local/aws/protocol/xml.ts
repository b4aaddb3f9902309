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

/** Appends the XML of `value`'s members (not wrapped in an element of its own) to `out`. */
export function writeXmlMembers(out: string[], value: unknown, list: ListElement): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item === null || item === undefined) continue;
      out.push(`<${list}>`);
      writeXmlMembers(out, item, list);
      out.push(`</${list}>`);
    }
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    for (const [name, member] of Object.entries(value)) {
      if (member === null || member === undefined) continue;
      out.push(`<${name}>`);
      writeXmlMembers(out, member, list);
      out.push(`</${name}>`);
    }
    return;
  }
  out.push(scalarText(value));
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeXml(value);
  return String(value);
}

export function queryResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  const out = [`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">`];
  if (result !== undefined && result !== null) {
    out.push(`<${action}Result>`);
    writeXmlMembers(out, result, 'member');
    out.push(`</${action}Result>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join('');
}

export function ec2ResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  const out = [`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">`];
  out.push(`<requestId>${requestId}</requestId>`);
  writeXmlMembers(out, result, 'item');
  out.push(`</${action}Response>`);
  return out.join('');
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
