/**
 * One element of a pattern's match list (`"state": ["running", {"prefix": "stop"}]`), compiled
 * into a test over one leaf value of the event. Validation happens here too: an element that
 * EventBridge would reject throws an EventPatternError naming its path, so validating a
 * pattern and compiling it are the same walk and can never disagree.
 */
import { cidrContains, parseCidr } from './cidr.js';
import { EventPatternError } from './pattern-error.js';

/** a leaf value of a JSON event: what a match list is tested against */
export type Leaf = string | number | boolean | null;

export type LeafMatcher =
  /** `exact`: the element itself is the value to equal (a Set lookup serves it) */
  { kind: 'value'; test: (value: Leaf) => boolean; exact?: boolean } | { kind: 'exists'; exists: boolean };

/** AWS documents numeric matching for values from -5.0e9 to +5.0e9 */
const NUMERIC_LIMIT = 5e9;

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

export function compileLeafMatcher(element: unknown, path: string): LeafMatcher {
  if (element === null || typeof element === 'boolean' || typeof element === 'string')
    return { kind: 'value', test: (v) => v === element, exact: true };
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) throw new EventPatternError(path, 'numbers must be finite');
    // -0 and 0 are one value in a Set and under ===, as in JSON
    return { kind: 'value', test: (v) => v === element, exact: true };
  }
  if (Array.isArray(element))
    throw new EventPatternError(path, 'a match list cannot contain another array; list the values directly');
  if (typeof element !== 'object')
    throw new EventPatternError(path, `unsupported value of type ${typeof element}`);
  const keys = Object.keys(element);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.join(', ');
    throw new EventPatternError(path, `a match object needs exactly one operator, found: ${found}`);
  }
  const operator = keys[0]!;
  const operand = (element as Record<string, unknown>)[operator];
  const at = `${path}.${operator}`;
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new EventPatternError(at, 'exists takes true or false');
      return { kind: 'exists', exists: operand };
    case 'prefix':
      return value(stringTest(operand, at, (s, p) => s.startsWith(p)));
    case 'suffix':
      return value(stringTest(operand, at, (s, p) => s.endsWith(p)));
    case 'equals-ignore-case': {
      const expected = fold(requireString(operand, at));
      return value((v) => typeof v === 'string' && fold(v) === expected);
    }
    case 'wildcard': {
      const regex = wildcardRegex(requireString(operand, at), at);
      return value((v) => typeof v === 'string' && regex.test(v));
    }
    case 'anything-but':
      return value(anythingBut(operand, at));
    case 'numeric':
      return value(numericRange(operand, at));
    case 'cidr': {
      const range = parseCidr(requireString(operand, at));
      if (typeof range === 'string') throw new EventPatternError(at, range);
      return value((v) => typeof v === 'string' && cidrContains(range, v));
    }
    default:
      throw new EventPatternError(
        at,
        `unknown operator "${operator}"; EventBridge knows ${OPERATORS.join(', ')} (and $or between fields)`,
      );
  }
}

function value(test: (v: Leaf) => boolean): LeafMatcher {
  return { kind: 'value', test };
}

/** Unicode-aware case folding, close to what equals-ignore-case does */
function fold(text: string): string {
  return text.toLowerCase().toUpperCase();
}

function requireString(operand: unknown, at: string): string {
  if (typeof operand !== 'string')
    throw new EventPatternError(at, `expected a string, found ${describe(operand)}`);
  return operand;
}

function describe(operand: unknown): string {
  if (operand === null) return 'null';
  if (Array.isArray(operand)) return 'an array';
  return typeof operand === 'string' ? `"${operand}"` : `${typeof operand} ${JSON.stringify(operand)}`;
}

/** prefix/suffix: a string, or `{"equals-ignore-case": string}` for the case-insensitive form */
function stringTest(operand: unknown, at: string, compare: (value: string, part: string) => boolean) {
  if (typeof operand === 'string') return (v: Leaf) => typeof v === 'string' && compare(v, operand);
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 1 && keys[0] === 'equals-ignore-case') {
      const part = fold(
        requireString((operand as Record<string, unknown>)[keys[0]], `${at}.equals-ignore-case`),
      );
      return (v: Leaf) => typeof v === 'string' && compare(fold(v), part);
    }
  }
  throw new EventPatternError(
    at,
    `expected a string or {"equals-ignore-case": string}, found ${describe(operand)}`,
  );
}

/**
 * `*` matches any run of characters (also none); `\*` is a literal star and `\\` a literal
 * backslash. EventBridge rejects consecutive stars and any other escape.
 */
export function wildcardRegex(text: string, at: string): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '*') {
      if (text[i + 1] === '*')
        throw new EventPatternError(at, `consecutive wildcard characters at position ${i}`);
      source += '[\\s\\S]*';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\')
        throw new EventPatternError(at, `invalid escape at position ${i}: only \\* and \\\\ are allowed`);
      source += `\\${next}`;
      i++;
    } else {
      source += char.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

function anythingBut(operand: unknown, at: string): (v: Leaf) => boolean {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand)))
    return (v) => v !== operand;
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new EventPatternError(at, 'anything-but needs at least one value');
    operand.forEach((item, i) => {
      if (typeof item !== 'string' && !(typeof item === 'number' && Number.isFinite(item)))
        throw new EventPatternError(
          `${at}[${i}]`,
          `anything-but lists only strings and numbers, found ${describe(item)}`,
        );
    });
    if (new Set(operand.map((item) => typeof item)).size > 1)
      throw new EventPatternError(at, 'anything-but lists either all strings or all numbers, not both');
    const excluded = new Set<Leaf>(operand as Leaf[]);
    return (v) => !excluded.has(v);
  }
  if (operand !== null && typeof operand === 'object') {
    const keys = Object.keys(operand);
    const key = keys[0];
    const inner = key === undefined ? undefined : (operand as Record<string, unknown>)[key];
    const innerAt = `${at}.${key}`;
    if (keys.length === 1 && (key === 'prefix' || key === 'suffix')) {
      const parts = stringOrStrings(inner, innerAt);
      if (parts.includes(''))
        throw new EventPatternError(innerAt, `an empty ${key} would exclude every value`);
      return key === 'prefix'
        ? (v) => typeof v !== 'string' || !parts.some((part) => v.startsWith(part))
        : (v) => typeof v !== 'string' || !parts.some((part) => v.endsWith(part));
    }
    if (keys.length === 1 && key === 'equals-ignore-case') {
      const excluded = new Set(stringOrStrings(inner, innerAt).map(fold));
      return (v) => typeof v !== 'string' || !excluded.has(fold(v));
    }
    if (keys.length === 1 && key === 'wildcard') {
      const regexes = stringOrStrings(inner, innerAt).map((w, i) => wildcardRegex(w, `${innerAt}[${i}]`));
      return (v) => typeof v !== 'string' || !regexes.some((r) => r.test(v));
    }
  }
  throw new EventPatternError(
    at,
    'anything-but takes a string, a number, a list of them, or one of {prefix}, {suffix}, {equals-ignore-case}, {wildcard}',
  );
}

function stringOrStrings(operand: unknown, at: string): string[] {
  if (typeof operand === 'string') return [operand];
  if (Array.isArray(operand) && operand.length > 0)
    return operand.map((item, i) => requireString(item, `${at}[${i}]`));
  throw new EventPatternError(
    at,
    `expected a string or a non-empty list of strings, found ${describe(operand)}`,
  );
}

type Comparison = '=' | '>' | '>=' | '<' | '<=';
const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** `["=", 5]`, `[">", 0]`, `["<=", 5]` or a lower bound then an upper bound: `[">", 0, "<=", 5]` */
function numericRange(operand: unknown, at: string): (v: Leaf) => boolean {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
    throw new EventPatternError(at, 'numeric takes [op, number] or [lower-op, number, upper-op, number]');
  const terms: { op: Comparison; bound: number }[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof op !== 'string' || !Object.hasOwn(COMPARE, op))
      throw new EventPatternError(
        `${at}[${i}]`,
        `unknown numeric operator ${describe(op)}; use =, >, >=, < or <=`,
      );
    if (typeof bound !== 'number' || !Number.isFinite(bound))
      throw new EventPatternError(
        `${at}[${i + 1}]`,
        `the value after "${op}" must be a number, found ${describe(bound)}`,
      );
    if (Math.abs(bound) > NUMERIC_LIMIT)
      throw new EventPatternError(
        `${at}[${i + 1}]`,
        `${bound} is outside the supported range -5.0e9 to 5.0e9`,
      );
    terms.push({ op: op as Comparison, bound });
  }
  const [first, second] = terms as [
    { op: Comparison; bound: number },
    { op: Comparison; bound: number } | undefined,
  ];
  if (second) {
    if (!first.op.startsWith('>') || !second.op.startsWith('<'))
      throw new EventPatternError(
        at,
        'a numeric range gives its lower bound (> or >=) first, then its upper bound (< or <=)',
      );
    if (first.bound >= second.bound)
      throw new EventPatternError(
        at,
        `the lower bound ${first.bound} must be less than the upper bound ${second.bound}`,
      );
  }
  return (v) =>
    typeof v === 'number' &&
    COMPARE[first.op](v, first.bound) &&
    (second === undefined || COMPARE[second.op](v, second.bound));
}
