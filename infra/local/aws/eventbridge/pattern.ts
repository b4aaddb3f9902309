/**
 * EventBridge event patterns: validation with AWS's rules and a precompiled matcher.
 *
 * Semantics (the EventBridge user guide's "event patterns" and "content filtering" pages):
 * - keys are ANDed; each names a field at the same nesting in the event;
 * - a field's match list is ORed: exact strings, numbers, booleans and null, or operator
 *   objects (prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr);
 * - when the event's field is an array, the list matches if any element matches; a nested
 *   pattern against an array of objects must match within one element;
 * - `exists` looks at leaf values only: an object-valued field has no leaf of its own;
 * - `$or` lists alternative sub-patterns; a pattern may expand to at most 1000 combinations.
 *
 * `compilePattern` walks the pattern once, throwing EventPatternError for anything AWS would
 * reject, and returns a closure; rules keep the closure, so matching an event never re-reads
 * the pattern.
 */
import { EventPatternError } from './pattern-error.js';
import { compileLeafMatcher, type Leaf } from './pattern-operators.js';

export { EventPatternError } from './pattern-error.js';

export type CompiledPattern = (event: object) => boolean;

type Fields = Record<string, unknown>;
type ObjectTest = (fields: Fields) => boolean;
type FieldTest = (value: unknown) => boolean;

/** PutRule, CreateArchive and TestEventPattern reject patterns whose `$or` expands further */
export const MAX_PATTERN_COMBINATIONS = 1000;

const NO_FIELDS: Fields = Object.freeze({});

export function compilePattern(pattern: unknown): CompiledPattern {
  const { test, combinations } = compileObject(pattern, '');
  if (combinations > MAX_PATTERN_COMBINATIONS)
    throw new EventPatternError(
      '',
      `$or expands to ${combinations} combinations; at most ${MAX_PATTERN_COMBINATIONS} are allowed`,
    );
  return (event) => test(event as Fields);
}

/** throws EventPatternError (message names the path and the reason) when AWS would reject it */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}

const compiledCache = new WeakMap<object, CompiledPattern>();

/** matches one event; compiles the pattern on first use (cached per pattern object) */
export function matchesPattern(pattern: unknown, event: object): boolean {
  if (pattern === null || typeof pattern !== 'object') return compilePattern(pattern)(event);
  let compiled = compiledCache.get(pattern);
  if (!compiled) {
    compiled = compilePattern(pattern);
    compiledCache.set(pattern, compiled);
  }
  return compiled(event);
}

/** parses the JSON text of an `EventPattern` parameter and compiles it */
export function parseEventPattern(text: string): CompiledPattern {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new EventPatternError('', `not valid JSON (${(error as Error).message})`);
  }
  return compilePattern(pattern);
}

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** a field of the event itself, never one inherited from Object.prototype (`constructor`, ...) */
function own(fields: Fields, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Inside `$or`, field names that are operators (or that Event Ruler reserves for future ones)
 * are rejected: they would read as a misplaced operator.
 */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

function compileObject(
  pattern: unknown,
  path: string,
  insideOr = false,
): { test: ObjectTest; combinations: number } {
  if (!isObject(pattern))
    throw new EventPatternError(path, `a pattern must be a JSON object, found ${JSON.stringify(pattern)}`);
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new EventPatternError(path, 'empty objects are not allowed');
  const tests: ObjectTest[] = [];
  let combinations = 1;
  for (const key of keys) {
    const sub = pattern[key];
    const at = join(path, key);
    if (insideOr && RESERVED_IN_OR.has(key))
      throw new EventPatternError(at, `"${key}" is a reserved word and cannot be a field name inside $or`);
    if (key === '$or') {
      const branches = compileOr(sub, at);
      tests.push((fields) => {
        for (const branch of branches.tests) if (branch(fields)) return true;
        return false;
      });
      combinations *= branches.combinations;
    } else if (Array.isArray(sub)) {
      const test = compileMatchList(sub, at);
      tests.push((fields) => test(own(fields, key)));
    } else if (isObject(sub)) {
      const nested = compileObject(sub, at, insideOr);
      tests.push((fields) => matchNested(nested.test, own(fields, key)));
      combinations *= nested.combinations;
    } else {
      throw new EventPatternError(
        at,
        `must be a list of match values (e.g. [${JSON.stringify(sub)}]) or a nested object, found ${JSON.stringify(sub)}`,
      );
    }
  }
  const test: ObjectTest = (fields) => {
    for (const fieldTest of tests) if (!fieldTest(fields)) return false;
    return true;
  };
  return { test, combinations };
}

function compileOr(sub: unknown, at: string): { tests: ObjectTest[]; combinations: number } {
  if (!Array.isArray(sub) || sub.length < 2)
    throw new EventPatternError(at, '$or takes a list of at least two pattern objects');
  const compiled = sub.map((branch, i) => compileObject(branch, `${at}[${i}]`, true));
  return {
    tests: compiled.map((branch) => branch.test),
    combinations: compiled.reduce((sum, branch) => sum + branch.combinations, 0),
  };
}

/**
 * A match list tests the field's leaf values. Exact strings, numbers, booleans and null go in a
 * Set (one lookup per leaf); operators run one by one. A scalar field is tested directly, with
 * no leaf array built: the common case, kept cheap because every event meets every rule.
 */
function compileMatchList(list: unknown[], at: string): FieldTest {
  if (list.length === 0)
    throw new EventPatternError(at, 'empty arrays are not allowed; list at least one value');
  const exact = new Set<Leaf>();
  const operators: ((leaf: Leaf) => boolean)[] = [];
  let whenPresent = false;
  let whenAbsent = false;
  list.forEach((element, i) => {
    const matcher = compileLeafMatcher(element, `${at}[${i}]`);
    if (matcher.kind === 'exists') {
      if (matcher.exists) whenPresent = true;
      else whenAbsent = true;
    } else if (matcher.exact) exact.add(element as Leaf);
    else operators.push(matcher.test);
  });
  const testLeaf = (leaf: Leaf): boolean => {
    if (exact.has(leaf)) return true;
    for (const test of operators) if (test(leaf)) return true;
    return false;
  };
  return (value) => {
    if (value === undefined) return whenAbsent;
    if (value === null || typeof value !== 'object') return whenPresent || testLeaf(value as Leaf);
    const leaves = leavesOf(value);
    if (leaves.length === 0) return whenAbsent;
    if (whenPresent) return true;
    for (const leaf of leaves) if (testLeaf(leaf)) return true;
    return false;
  };
}

/** the leaf values at a field: itself, or the elements of (nested) arrays; objects have none */
function leavesOf(value: unknown, out: Leaf[] = []): Leaf[] {
  if (value === undefined) return out;
  if (Array.isArray(value)) for (const element of value) leavesOf(element, out);
  else if (value === null || typeof value !== 'object') out.push(value as Leaf);
  return out;
}

function objectsOf(value: unknown[], out: Fields[] = []): Fields[] {
  for (const element of value) {
    if (Array.isArray(element)) objectsOf(element, out);
    else if (isObject(element)) out.push(element);
  }
  return out;
}

/** a nested pattern meets a missing or scalar field as an object with no fields */
function matchNested(test: ObjectTest, value: unknown): boolean {
  if (isObject(value)) return test(value);
  if (Array.isArray(value)) {
    const objects = objectsOf(value);
    return objects.length === 0 ? test(NO_FIELDS) : objects.some(test);
  }
  return test(NO_FIELDS);
}

/**
 * Whether a (valid) pattern uses `wildcard`, plain or inside `anything-but`: a bus takes at
 * most 30 such rules.
 */
export function usesWildcard(pattern: unknown): boolean {
  if (!isObject(pattern)) return false;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(value)) {
      if (value.some(usesWildcard)) return true;
    } else if (Array.isArray(value)) {
      if (value.some(isWildcardOperator)) return true;
    } else if (usesWildcard(value)) return true;
  }
  return false;
}

function isWildcardOperator(element: unknown): boolean {
  if (!isObject(element)) return false;
  const anythingBut = element['anything-but'];
  return 'wildcard' in element || (isObject(anythingBut) && 'wildcard' in anythingBut);
}
