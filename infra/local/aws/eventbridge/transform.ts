/**
 * A target's Input / InputPath: what the target receives instead of the whole event.
 * - `Input`: constant JSON text, sent as is;
 * - `InputPath`: a JSONPath into the event (`$`, `$.detail`, `$.detail-type`, `$.resources[0]`,
 *   `$['odd.key']`); a path that finds nothing sends null.
 */

export type PathStep = string | number;

/** parses an InputPath; returns a reason string when the path is not one EventBridge accepts */
export function parseJsonPath(path: string): PathStep[] | string {
  if (!path.startsWith('$')) return `JSONPath ${path} must start with $`;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    const dot = /^\.([^.[\]]+)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[(['"])(.*?)\1\]/.exec(rest);
    const step = dot ?? index ?? quoted;
    if (!step) return `JSONPath ${path} is not valid at position ${i}`;
    if (dot) steps.push(dot[1]!);
    else if (index) steps.push(Number(index[1]));
    else steps.push(quoted![2]!);
    i += step[0].length;
  }
  return steps;
}

export function resolveJsonPath(value: unknown, steps: PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export interface Transform {
  input?: string;
  inputPath?: string;
}

/** the payload a target gets for `event`; a fresh copy, so a handler cannot change the archive */
export function targetPayload(event: object, transform: Transform): unknown {
  if (transform.input !== undefined) return JSON.parse(transform.input);
  if (transform.inputPath !== undefined) {
    const steps = parseJsonPath(transform.inputPath);
    if (typeof steps === 'string') throw new Error(steps);
    const found = resolveJsonPath(event, steps);
    return found === undefined ? null : structuredClone(found);
  }
  return structuredClone(event);
}
