/**
 * Decodes awsQuery and EC2-query form parameters into nested values. Both flavours flatten
 * structures into dotted keys; only the list markers differ:
 *
 *   awsQuery  `Targets.member.1.Id=i-1`           -> { Targets: [{ Id: 'i-1' }] }
 *             `Attributes.entry.1.key=k`          -> { Attributes: [{ key: 'k' }] }  (maps)
 *   EC2       `Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1` -> { Filter: [{ Name: 'vpc-id', Value: ['vpc-1'] }] }
 *
 * A numeric segment (optionally after `member` / `entry`) opens a list; indices are 1-based and
 * the list keeps their order even with gaps. Scalars stay strings, as they are on the wire.
 * An empty list travels as `Targets=` and so arrives as ''. Conflicting keys (`A=1&A.member.1=x`)
 * and malformed indices are rejected with a ValidationError naming the parameter.
 */
import { AwsApiError } from '../api-error.js';

type Node = string | Branch | ListBranch;
interface Branch {
  kind: 'struct';
  fields: Map<string, Node>;
}
interface ListBranch {
  kind: 'list';
  items: Map<number, Node>;
}

const LIST_MARKERS = new Set(['member', 'entry']);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** 1 to 999999 without leading zeros; a char loop because this runs for every key segment. */
function isIndex(segment: string): boolean {
  const length = segment.length;
  if (length === 0 || length > 6) return false;
  const first = segment.charCodeAt(0);
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < length; i++) {
    const c = segment.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Splits an `application/x-www-form-urlencoded` body into pairs. Most values need no decoding
 * (ARNs, IPs, ports), so only those with `%` or `+` pay for it; bad percent-encoding is
 * AWS's MalformedQueryString rather than a silently mangled value.
 */
export function parseForm(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('&', start);
    if (end === -1) end = body.length;
    if (end > start) {
      const eq = body.indexOf('=', start);
      const split = eq === -1 || eq > end ? end : eq;
      pairs.push([
        decodeFormComponent(body.slice(start, split)),
        decodeFormComponent(body.slice(split + 1, end)),
      ]);
    }
    start = end + 1;
  }
  return pairs;
}

function decodeFormComponent(text: string): string {
  if (text.indexOf('%') === -1 && text.indexOf('+') === -1) return text;
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new AwsApiError(
      'MalformedQueryString',
      `The query string has a malformed percent-encoding: ${text.slice(0, 64)}`,
    );
  }
}

export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  input: Record<string, unknown>;
}

/** Splits a form body (or query string) into Action, Version and the nested input. */
export function decodeQueryRequest(
  params: Iterable<[string, string]>,
  skip: ReadonlySet<string> = new Set(),
): QueryRequest {
  let action: string | undefined;
  let version: string | undefined;
  const root: Branch = { kind: 'struct', fields: new Map() };
  const parents: ParentCache = new Map();
  for (const [key, value] of params) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    // an empty key is noise (`&&`, `==`), not a parameter: AWS ignores it too
    else if (key !== '' && !skip.has(key)) place(root, key, value, parents);
  }
  return { action, version, input: finish(root) as Record<string, unknown> };
}

/** The nested input alone, for callers that already split off Action and Version. */
export function decodeQueryParams(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Branch = { kind: 'struct', fields: new Map() };
  const parents: ParentCache = new Map();
  for (const [key, value] of entries) place(root, key, value, parents);
  return finish(root) as Record<string, unknown>;
}

/**
 * The node each key prefix led to (`Targets.member.7` -> the 7th target). Sibling keys share
 * their prefix, so all but the first skip the walk: 200 targets are 400 keys but 200 walks.
 */
type ParentCache = Map<string, Branch | ListBranch>;

function place(root: Branch, key: string, value: string, parents: ParentCache): void {
  const dot = key.lastIndexOf('.');
  const known = dot > 0 ? parents.get(key.slice(0, dot)) : undefined;
  if (known !== undefined) {
    setLeaf(known, key, key.slice(dot + 1), value);
    return;
  }
  const segments = key.split('.');
  let parent: Branch | ListBranch = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '' || FORBIDDEN.has(segment)) throw invalid(key, `segment "${segment}" is not allowed`);
    let slot: string | number;
    if (parent.kind === 'list') {
      if (!isIndex(segment)) throw invalid(key, `"${segment}" is not a list index (1, 2, ...)`);
      slot = Number(segment);
    } else {
      slot = segment;
    }
    const next = segments[i + 1];
    const opensList =
      next !== undefined && (isIndex(next) || (LIST_MARKERS.has(next) && i + 2 < segments.length));
    if (last) {
      if (get(parent, slot) !== undefined)
        throw invalid(key, 'is given twice or conflicts with a nested value');
      set(parent, slot, value);
      if (dot > 0) parents.set(key.slice(0, dot), parent);
      return;
    }
    let child = get(parent, slot);
    if (child === undefined) {
      child = opensList ? { kind: 'list', items: new Map() } : { kind: 'struct', fields: new Map() };
      set(parent, slot, child);
    }
    if (typeof child === 'string')
      throw invalid(key, 'conflicts with a scalar value given for the same name');
    if (opensList && child.kind !== 'list') throw invalid(key, 'mixes a list with a structure');
    if (!opensList && child.kind === 'list') throw invalid(key, 'mixes a list with a structure');
    if (opensList && next !== undefined && LIST_MARKERS.has(next)) i++;
    parent = child;
  }
}

function setLeaf(parent: Branch | ListBranch, key: string, segment: string, value: string): void {
  if (segment === '' || FORBIDDEN.has(segment)) throw invalid(key, `segment "${segment}" is not allowed`);
  let slot: string | number = segment;
  if (parent.kind === 'list') {
    if (!isIndex(segment)) throw invalid(key, `"${segment}" is not a list index (1, 2, ...)`);
    slot = Number(segment);
  }
  if (get(parent, slot) !== undefined) throw invalid(key, 'is given twice or conflicts with a nested value');
  set(parent, slot, value);
}

function get(parent: Branch | ListBranch, slot: string | number): Node | undefined {
  return parent.kind === 'list' ? parent.items.get(slot as number) : parent.fields.get(slot as string);
}

function set(parent: Branch | ListBranch, slot: string | number, node: Node): void {
  if (parent.kind === 'list') parent.items.set(slot as number, node);
  else parent.fields.set(slot as string, node);
}

function finish(node: Node): unknown {
  if (typeof node === 'string') return node;
  if (node.kind === 'list') {
    return [...node.items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => finish(item));
  }
  const out: Record<string, unknown> = {};
  for (const [name, child] of node.fields) out[name] = finish(child);
  return out;
}

function invalid(key: string, why: string): AwsApiError {
  return new AwsApiError('ValidationError', `Parameter ${key} ${why}`);
}
