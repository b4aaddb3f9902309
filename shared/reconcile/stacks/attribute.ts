import { InvalidInputError, isRetryable, SlbcError } from '../../errors.js';

/**
 * AWS refusing a stack's change names the value it refused (`Certificate 'arn:…' not found`),
 * not the Ingress or Service that asked for it. This finds the member whose annotation carries
 * that value, so the recorded error names the object and the field an operator must fix.
 * Pure: the members' annotations are given.
 */
export interface MemberAnnotations {
  kind: 'Ingress' | 'Service';
  namespace: string;
  name: string;
  annotations: Record<string, string>;
}

/** Values AWS quotes in its messages: ARNs, IDs and names between single or double quotes. */
function quotedValues(message: string): string[] {
  const values = new Set<string>();
  for (const match of message.matchAll(/['"]([^'"\s]{3,})['"]/g)) if (match[1]) values.add(match[1]);
  for (const match of message.matchAll(/\barn:aws[\w-]*:[^\s'",)]+/g)) values.add(match[0]);
  return [...values];
}

export interface Attribution {
  kind: 'Ingress' | 'Service';
  namespace: string;
  name: string;
  /** dotted, as the model names annotation fields */
  field: string;
}

/** The first member (in the order given) whose annotation holds a value the message quotes. */
export function attributeRefusal(
  message: string,
  members: readonly MemberAnnotations[],
): Attribution | undefined {
  const values = quotedValues(message);
  if (values.length === 0) return undefined;
  for (const member of members) {
    for (const [annotation, value] of Object.entries(member.annotations)) {
      if (!values.some((quoted) => value.includes(quoted))) continue;
      return {
        kind: member.kind,
        namespace: member.namespace,
        name: member.name,
        field: `metadata.annotations["${annotation}"]`,
      };
    }
  }
  return undefined;
}

/**
 * A permanent (non-retryable) error of an apply, re-raised against the member that caused it
 * when one is found; anything else is returned as it was.
 */
export function attributeError(error: unknown, members: readonly MemberAnnotations[]): unknown {
  if (!(error instanceof SlbcError) || isRetryable(error)) return error;
  const found = attributeRefusal(error.message, members);
  if (found === undefined) return error;
  return new InvalidInputError(
    `${found.kind} ${found.namespace}/${found.name} field ${found.field}: ${error.message}`,
    {
      cause: error,
      subject: { kind: found.kind, name: `${found.namespace}/${found.name}`, field: found.field },
    },
  );
}
