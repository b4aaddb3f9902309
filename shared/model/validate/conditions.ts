import type { RuleCondition } from '../stack.js';

/**
 * Rule condition values ELBv2 refuses (CreateRule: PathPatternConditionConfig, HostHeaderConditionConfig):
 * at most 128 characters each, from a fixed character set. A value outside it fails CreateRule for
 * the whole listener, so it is refused here for its member alone.
 */

const MAX_VALUE = 128;
/** A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ? (`&` is sent as `&amp;`) */
const PATH_CHARACTERS = /^[A-Za-z0-9_\-.$/~"'@:+&*?]*$/;
/** A-Z a-z 0-9 - . * ? */
const HOST_CHARACTERS = /^[A-Za-z0-9\-.*?]*$/;

function firstOutside(value: string, allowed: RegExp): string | undefined {
  for (const char of value) if (!allowed.test(char)) return char;
  return undefined;
}

function valueProblem(kind: 'path-pattern' | 'host-header', value: string): string | undefined {
  if (value.length > MAX_VALUE) {
    return `${kind} value must be at most ${MAX_VALUE} characters (${value.length}): ${JSON.stringify(value)}`;
  }
  const allowed = kind === 'path-pattern' ? PATH_CHARACTERS : HOST_CHARACTERS;
  if (allowed.test(value)) return undefined;
  const char = firstOutside(value, allowed) ?? '';
  const characters =
    kind === 'path-pattern' ? `A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?` : 'A-Z a-z 0-9 - . * ?';
  return `${kind} value ${JSON.stringify(value)} holds ${JSON.stringify(char)}: an ALB accepts only ${characters}`;
}

/** The first value of these conditions that ELBv2 would refuse, or undefined. */
export function conditionValueProblem(conditions: readonly RuleCondition[]): string | undefined {
  for (const condition of conditions) {
    const values =
      condition.field === 'path-pattern'
        ? (condition.pathPatternConfig.values ?? [])
        : condition.field === 'host-header'
          ? (condition.hostHeaderConfig.values ?? [])
          : [];
    for (const value of values) {
      const problem = valueProblem(condition.field as 'path-pattern' | 'host-header', value);
      if (problem) return problem;
    }
  }
  return undefined;
}
