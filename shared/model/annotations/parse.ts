/**
 * The LBC's annotation value grammar (pkg/annotations/parser.go), with its error texts. Every parser
 * returns a Parsed value: `undefined` when the annotation is absent (presence, not emptiness, decides),
 * the value, or an error string. Nothing throws.
 */

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: string };
export type Annotations = Readonly<Record<string, string>>;

export const INGRESS_PREFIX = 'alb.ingress.kubernetes.io';
export const SERVICE_PREFIX = 'service.beta.kubernetes.io';

export const ok = <T>(value: T | undefined): Parsed<T> => ({ ok: true, value });
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Go `%q` for the strings we quote (printable ASCII: same as JSON). */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** Go's `%v` of a []string: `[a b c]`. */
export function goList(values: readonly (string | number)[]): string {
  return `[${values.join(' ')}]`;
}

export function parseString(annotations: Annotations, key: string): string | undefined {
  return Object.hasOwn(annotations, key) ? annotations[key] : undefined;
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Whether Go's strconv.ParseBool reads this as true. */
export function isGoTrue(value: string | undefined): boolean {
  return value !== undefined && GO_TRUE.has(value);
}

/** Go strconv.ParseBool, as the LBC wraps it. */
export function parseBool(annotations: Annotations, key: string): Parsed<boolean> {
  const raw = parseString(annotations, key);
  if (raw === undefined) return ok(undefined);
  if (GO_TRUE.has(raw)) return ok(true);
  if (GO_FALSE.has(raw)) return ok(false);
  return fail(
    `failed to parse bool annotation, ${key}: ${raw}: strconv.ParseBool: parsing ${goQuote(raw)}: invalid syntax`,
  );
}

const BOUNDS = { 32: 2n ** 31n, 64: 2n ** 63n } as const;

/** Go strconv.ParseInt(raw, 10, bits): optional sign, decimal digits, no spaces. */
function parseInteger(annotations: Annotations, key: string, bits: 32 | 64): Parsed<number> {
  const raw = parseString(annotations, key);
  if (raw === undefined) return ok(undefined);
  const prefix = `failed to parse int${bits} annotation, ${key}: ${raw}: strconv.ParseInt: parsing ${goQuote(raw)}`;
  if (!/^[+-]?[0-9]+$/.test(raw)) return fail(`${prefix}: invalid syntax`);
  const value = BigInt(raw);
  if (value >= BOUNDS[bits] || value < -BOUNDS[bits]) return fail(`${prefix}: value out of range`);
  return ok(Number(value));
}

export const parseInt32 = (annotations: Annotations, key: string): Parsed<number> =>
  parseInteger(annotations, key, 32);
export const parseInt64 = (annotations: Annotations, key: string): Parsed<number> =>
  parseInteger(annotations, key, 64);

/** Split on `,`, trim each item, drop empty ones. */
export function parseStringList(annotations: Annotations, key: string): string[] | undefined {
  const raw = parseString(annotations, key);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `k1=v1, k2=v2`: a comma separates pairs only when what follows it still contains `=`, and a
 * backslash escapes the next character; each pair splits on its first `=`.
 */
export function parseStringMap(annotations: Annotations, key: string): Parsed<Record<string, string>> {
  const raw = parseString(annotations, key);
  if (raw === undefined) return ok(undefined);
  const pairs: string[] = [];
  let current = '';
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index]!;
    if (char === '\\' && index + 1 < raw.length) {
      current += raw[index + 1];
      index += 1;
    } else if (char === ',' && raw.slice(index + 1).includes('=')) {
      pairs.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  pairs.push(current);
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? '' : pair.slice(0, equals).trim();
    if (name === '') return fail(`failed to parse stringMap annotation, ${key}: ${raw}`);
    result[name] = pair.slice(equals + 1).trim();
  }
  return ok(result);
}

/** JSON, with Go's error text for the common truncated case. Field names are matched by `field()`. */
export function parseJson(annotations: Annotations, key: string): Parsed<unknown> {
  const raw = parseString(annotations, key);
  if (raw === undefined) return ok(undefined);
  try {
    return ok(JSON.parse(raw) as unknown);
  } catch (error) {
    return fail(`failed to parse json annotation, ${key}: ${raw}: ${goJsonError(raw, error)}`);
  }
}

function goJsonError(raw: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/end of JSON input|Unterminated|Expected .* after/i.test(message) || raw.trim() === '') {
    return 'unexpected end of JSON input';
  }
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * Go's encoding/json matches object keys to struct fields case-insensitively (an exact match first),
 * which is how the LBC still accepts v1's `{"Type":"forward","TargetGroupArn":...}`.
 */
export function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const record = object as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lower) return record[key];
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}

/** The annotation key as a field path for error reports. */
export function annotationField(key: string): string {
  return `metadata.annotations["${key}"]`;
}
