/**
 * A target's Input / InputPath: what the target receives instead of the whole event.
 * - `Input`: constant JSON text, sent as is;
 * - `InputPath`: a JSONPath into the event (`$`, `$.detail`, `$.detail-type`, `$.resources[0]`,
 *   `$['odd.key']`); a path that finds nothing sends null;
 * - `InputTransformer`: see ./input-transformer.ts.
 */
import { applyInputTransformer, type InputTransformer, type TransformFacts } from './input-transformer.js';
import { parseJsonPath, resolveJsonPath } from './json-path.js';

export interface Transform {
  input?: string;
  inputPath?: string;
  inputTransformer?: InputTransformer;
}

/** the payload a target gets for `event`; a fresh copy, so a handler cannot change the archive */
export function targetPayload(event: object, transform: Transform, facts: TransformFacts): unknown {
  if (transform.input !== undefined) return JSON.parse(transform.input);
  if (transform.inputTransformer !== undefined)
    return applyInputTransformer(event, transform.inputTransformer, facts);
  if (transform.inputPath !== undefined) {
    const steps = parseJsonPath(transform.inputPath);
    if (typeof steps === 'string') throw new Error(steps);
    const found = resolveJsonPath(event, steps);
    return found === undefined ? null : structuredClone(found);
  }
  return structuredClone(event);
}
