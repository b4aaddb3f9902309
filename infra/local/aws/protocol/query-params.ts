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
 *
 * This is on every query call's path (RegisterTargets of 200 targets is 400 keys), so the body
 * is decoded in one pass straight into the objects the service receives: no pair list, no
 * intermediate tree, and sibling keys (`...member.7.Id`, `...member.7.Port`) skip the walk.
 */
import { AwsApiError } from '../api-error.js';

/** A list being filled: `items[i - 1]` holds index i, with holes where indices were skipped. */
class PendingList {
  readonly items: Node[] = [];
  count = 0;
}
/** Fields are own properties; FORBIDDEN names never get here, so a plain object is safe. */
type Struct = { [name: string]: Node };
type Node = string | Struct | PendingList;
type Parent = Struct | PendingList;

const LIST_MARKERS = new Set(['member', 'entry']);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** `key[start, end)` as a list index (1 to 999999, no leading zero), or 0 when it is none. */
function indexAt(key: string, start: number, end: number): number {
  if (end - start > 6) return 0;
  let index = 0;
  for (let i = start; i < end; i++) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (index === 0 && digit === 0)) return 0;
    index = index * 10 + digit;
  }
  return index;
}

/** true when `key` holds `text` at `start` (a char loop: startsWith costs several times more) */
function holdsAt(key: string, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (key.charCodeAt(start + i) !== text.charCodeAt(i)) return false;
  return true;
}

/** Calls `each(key, value)` for every pair of an `application/x-www-form-urlencoded` body. */
function forEachPair(body: string, each: (key: string, value: string) => void): void {
  const length = body.length;
  let start = 0;
  // the next '=' at or after `start`; kept across pairs so `A&B&C=1` stays one scan, not n²
  let eq = -1;
  while (start < length) {
    let end = body.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      if (eq < start) eq = body.indexOf('=', start);
      if (eq === -1) eq = length;
      const split = Math.min(eq, end);
      each(
        decodeFormComponent(body.slice(start, split)),
        split < end ? decodeFormComponent(body.slice(split + 1, end)) : '',
      );
    }
    start = end + 1;
  }
}

/**
 * Splits a form body into pairs. Most values need no decoding (ARNs, IPs, ports), so only those
 * with `%` or `+` pay for it; bad percent-encoding is AWS's MalformedQueryString rather than a
 * silently mangled value.
 */
export function parseForm(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  forEachPair(body, (key, value) => pairs.push([key, value]));
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

/**
 * Builds one request's input from its keys, in arrival order. A key is walked segment by
 * segment; a segment opens a list when the next one is an index, or a marker (`member`,
 * `entry`) followed by more. Sibling keys (`Targets.member.7.Id`, `Targets.member.7.Port`)
 * share all but their last segment, so the second goes straight to the node the first was
 * placed in: 200 targets are 400 keys but 200 walks.
 */
class InputBuilder {
  readonly root: Struct = {};
  action: string | undefined;
  version: string | undefined;
  /** the previous key without its last segment, and the node that segment went in */
  private lastPrefix = '';
  private lastParent: Parent = this.root;
  /** field names seen so far, reused so each is sliced (and internalised as a key) once */
  private readonly names: string[] = [];

  constructor(private readonly skip: ReadonlySet<string> | undefined) {}

  add(key: string, value: string): void {
    const dot = key.lastIndexOf('.');
    // Action, Version and the skipped names are top-level: only dotless keys pay for the lookups
    if (this.skip !== undefined && dot === -1) {
      if (key === 'Action') {
        this.action = value;
        return;
      }
      if (key === 'Version') {
        this.version = value;
        return;
      }
      // an empty key is noise (`&&`, `==`), not a parameter: AWS ignores it too
      if (key === '' || this.skip.has(key)) return;
    }
    let parent: Parent | undefined;
    // the prefix was walked with this segment as its lookahead: reuse it only if the segment
    // reads the same way (an index under a list, a name under a structure)
    if (dot === this.lastPrefix.length && dot > 0 && key.slice(0, dot) === this.lastPrefix) {
      const underList = this.lastParent instanceof PendingList;
      if (underList === indexAt(key, dot + 1, key.length) > 0) parent = this.lastParent;
    }
    if (parent === undefined) {
      parent = this.walk(key);
      if (dot > 0) {
        this.lastPrefix = key.slice(0, dot);
        this.lastParent = parent;
      }
    }
    const slot = this.slot(parent, key, dot + 1, key.length);
    if (get(parent, slot) !== undefined)
      throw invalid(key, 'is given twice or conflicts with a nested value');
    set(parent, slot, value);
  }

  /** follows (and creates) the nodes of every segment but the last; returns the last one's parent */
  private walk(key: string): Parent {
    let parent: Parent = this.root;
    let start = 0;
    for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', start)) {
      const nextDot = key.indexOf('.', dot + 1);
      const nextEnd = nextDot === -1 ? key.length : nextDot;
      const marker = nextDot !== -1 && isMarker(key, dot + 1, nextEnd);
      const opensList = marker || indexAt(key, dot + 1, nextEnd) > 0;
      const slot = this.slot(parent, key, start, dot);
      let child = get(parent, slot);
      if (child === undefined) {
        child = opensList ? new PendingList() : {};
        set(parent, slot, child);
      }
      if (typeof child === 'string')
        throw invalid(key, 'conflicts with a scalar value given for the same name');
      if (opensList !== child instanceof PendingList) throw invalid(key, 'mixes a list with a structure');
      parent = child;
      // a marker is not a node of its own: the list's index follows it
      start = (marker ? nextDot : dot) + 1;
    }
    return parent;
  }

  /** the list index or field name `key[start, end)` stands for in `parent` */
  private slot(parent: Parent, key: string, start: number, end: number): number | string {
    if (parent instanceof PendingList) {
      const index = indexAt(key, start, end);
      if (index > 0) return index;
    }
    const length = end - start;
    if (!(parent instanceof PendingList))
      for (const name of this.names) if (name.length === length && holdsAt(key, start, name)) return name;
    const segment = key.slice(start, end);
    if (segment === '' || FORBIDDEN.has(segment)) throw invalid(key, `segment "${segment}" is not allowed`);
    if (parent instanceof PendingList) throw invalid(key, `"${segment}" is not a list index (1, 2, ...)`);
    if (this.names.length < 32) this.names.push(segment);
    return segment;
  }

  input(): Record<string, unknown> {
    return finishStruct(this.root);
  }
}

/**
 * Decodes a form body (awsQuery or EC2 query) into Action, Version and the nested input;
 * `skip` names top-level parameters to drop (a presigned request's X-Amz-* signature).
 */
export function decodeQueryBody(body: string, skip: ReadonlySet<string> = new Set()): QueryRequest {
  const builder = new InputBuilder(skip);
  forEachPair(body, (key, value) => builder.add(key, value));
  return { action: builder.action, version: builder.version, input: builder.input() };
}

/** As decodeQueryBody, for parameters already split (a presigned GET's query string). */
export function decodeQueryRequest(
  params: Iterable<[string, string]>,
  skip: ReadonlySet<string> = new Set(),
): QueryRequest {
  const builder = new InputBuilder(skip);
  for (const [key, value] of params) builder.add(key, value);
  return { action: builder.action, version: builder.version, input: builder.input() };
}

/** The nested input alone, for callers that already split off Action and Version. */
export function decodeQueryParams(entries: Iterable<[string, string]>): Record<string, unknown> {
  const builder = new InputBuilder(undefined);
  for (const [key, value] of entries) builder.add(key, value);
  return builder.input();
}

function get(parent: Parent, slot: number | string): Node | undefined {
  if (parent instanceof PendingList) return parent.items[(slot as number) - 1];
  return Object.hasOwn(parent, slot) ? parent[slot as string] : undefined;
}

function set(parent: Parent, slot: number | string, node: Node): void {
  if (parent instanceof PendingList) {
    parent.items[(slot as number) - 1] = node;
    parent.count++;
  } else {
    parent[slot as string] = node;
  }
}

function isMarker(key: string, start: number, end: number): boolean {
  const length = end - start;
  return (length === 6 || length === 5) && LIST_MARKERS.has(key.slice(start, end));
}

/** Replaces every pending list by its array, in place: the objects built are the ones returned. */
function finishStruct(struct: Struct): Record<string, unknown> {
  const out: Record<string, unknown> = struct;
  for (const name in struct) {
    const child = struct[name]!;
    if (typeof child !== 'string') out[name] = finishNode(child);
  }
  return out;
}

function finishNode(node: Struct | PendingList): unknown {
  if (!(node instanceof PendingList)) return finishStruct(node);
  const { items, count } = node;
  // indices 1..n without gaps: the array is already in order; for-in walks a sparse one's
  // indices in ascending order without visiting every hole up to 999999
  const dense: unknown[] = count === items.length ? items : [];
  if (dense !== items) for (const i in items) dense.push(items[i]);
  for (let i = 0; i < dense.length; i++) {
    const item = dense[i] as Node;
    if (typeof item !== 'string') dense[i] = finishNode(item);
  }
  return dense;
}

function invalid(key: string, why: string): AwsApiError {
  return new AwsApiError('ValidationError', `Parameter ${key} ${why}`);
}
