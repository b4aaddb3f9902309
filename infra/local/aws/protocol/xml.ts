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
 *
 * This is the server's hot path (a 1,000-target DescribeTargetHealth answer is ~330 KB), so
 * the text is appended to one array of parts and joined once: a flat string, where `+=` builds
 * a rope of thousands of pieces that Buffer.byteLength and the socket then flatten again.
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
const ESCAPE_ALL = /[&<>"']/g;
const escapeChar = (c: string): string => ESCAPES[c]!;

/** Most text (ids, ARNs, ports, states) has nothing to escape and is returned as it is. */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, escapeChar) : text;
}

/**
 * The members' XML of frozen objects, by list element. Services hand out frozen, shared
 * records for what does not change (a target's description, the health states), so each is
 * written once rather than on every DescribeTargetHealth; `null` marks a frozen object that
 * holds something mutable (a Date, an unfrozen child) and so is written every time.
 */
const frozenXml: Record<ListElement, WeakMap<object, string | null>> = {
  member: new WeakMap(),
  item: new WeakMap(),
};

/** The XML of `value`'s members (not wrapped in an element of its own). */
export function xmlMembers(value: unknown, list: ListElement): string {
  const parts: string[] = [];
  writeMembers(parts, value, list);
  return parts.join('');
}

function writeMembers(parts: string[], value: unknown, list: ListElement): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') parts.push(typeof value === 'string' ? escapeXml(value) : String(value));
  else if (value instanceof Date) parts.push(value.toISOString());
  else if (!Object.isFrozen(value)) writeElements(parts, value, list);
  else {
    const cache = frozenXml[list];
    let xml = cache.get(value);
    if (xml === undefined) {
      xml = deeplyFrozen(value) ? xmlElements(value, list) : null;
      cache.set(value, xml);
    }
    if (xml === null) writeElements(parts, value, list);
    else parts.push(xml);
  }
}

/** one element per array item (named `list`) or per field of a record */
function writeElements(parts: string[], value: object, list: ListElement): void {
  if (Array.isArray(value)) {
    const [open, close] = tagsOf(list);
    for (const item of value) {
      if (item === null || item === undefined) continue;
      parts.push(open);
      writeMembers(parts, item, list);
      parts.push(close);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const name in record) {
    const member = record[name];
    if (member === null || member === undefined) continue;
    const tags = tagsOf(name);
    parts.push(tags[0]);
    writeMembers(parts, member, list);
    parts.push(tags[1]);
  }
}

/** `<name>` and `</name>`, made once per element name rather than once per element */
const TAGS = new Map<string, readonly [string, string]>();
function tagsOf(name: string): readonly [string, string] {
  let tags = TAGS.get(name);
  if (tags === undefined) {
    tags = [`<${name}>`, `</${name}>`];
    // field names come from services' result shapes, a bounded set; the guard is for odd callers
    if (TAGS.size < 10_000) TAGS.set(name, tags);
  }
  return tags;
}

function xmlElements(value: object, list: ListElement): string {
  const parts: string[] = [];
  writeElements(parts, value, list);
  return parts.join('');
}

/** true for scalars, and plain objects and arrays frozen all the way down (no Date) */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (!Object.isFrozen(value)) return false;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const member of Object.values(value)) if (!deeplyFrozen(member)) return false;
  return true;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function queryResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  const parts = [XML_DECLARATION, `<${action}Response xmlns="${xmlns}">`];
  if (result !== undefined && result !== null) {
    parts.push(`<${action}Result>`);
    writeMembers(parts, result, 'member');
    parts.push(`</${action}Result>`);
  }
  parts.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return parts.join('');
}

export function ec2ResponseXml(action: string, xmlns: string, result: unknown, requestId: string): string {
  const parts = [XML_DECLARATION, `<${action}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>`];
  writeMembers(parts, result, 'item');
  parts.push(`</${action}Response>`);
  return parts.join('');
}

export function queryErrorXml(error: AwsApiError, requestId: string): string {
  return (
    `${XML_DECLARATION}<ErrorResponse><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function ec2ErrorXml(error: AwsApiError, requestId: string): string {
  return (
    `${XML_DECLARATION}<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
