/** The JSONPath subset EventBridge takes in InputPath and InputPathsMap. */

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
    // own properties only: `$.constructor` finds nothing, as in the JSON the event came from
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
