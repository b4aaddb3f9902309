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
const INDEX = /^[1-9]\d{0,5}$/;

export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  input: Record<string, unknown>;
}

/** Splits a form body (or query string) into Action, Version and the nested input. */
export function decodeQueryRequest(
  params: URLSearchParams,
  skip: ReadonlySet<string> = new Set(),
): QueryRequest {
  let action: string | undefined;
  let version: string | undefined;
  const root: Branch = { kind: 'struct', fields: new Map() };
  for (const [key, value] of params) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    // an empty key is noise (`&&`, `==`), not a parameter: AWS ignores it too
    else if (key !== '' && !skip.has(key)) place(root, key, value);
  }
  return { action, version, input: finish(root) as Record<string, unknown> };
}

/** The nested input alone, for callers that already split off Action and Version. */
export function decodeQueryParams(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Branch = { kind: 'struct', fields: new Map() };
  for (const [key, value] of entries) place(root, key, value);
  return finish(root) as Record<string, unknown>;
}

function place(root: Branch, key: string, value: string): void {
  const segments = key.split('.');
  let parent: Branch | ListBranch = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '' || FORBIDDEN.has(segment)) throw invalid(key, `segment "${segment}" is not allowed`);
    let slot: string | number;
    if (parent.kind === 'list') {
      if (!INDEX.test(segment)) throw invalid(key, `"${segment}" is not a list index (1, 2, ...)`);
      slot = Number(segment);
    } else {
      slot = segment;
    }
    const next = segments[i + 1];
    const opensList =
      next !== undefined && (INDEX.test(next) || (LIST_MARKERS.has(next) && i + 2 < segments.length));
    if (last) {
      if (get(parent, slot) !== undefined)
        throw invalid(key, 'is given twice or conflicts with a nested value');
      set(parent, slot, value);
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
