import { NotOwnedError } from '../../aws/elbv2-stacks-ownership.js';
import type { StackKey } from '../../state/keys.js';

/**
 * A create answered with a load balancer or target group that is not this stack's
 * (shared/aws/elbv2-stacks-ownership.ts) and that no annotation names (attribute.ts found no
 * member): a Service's stack is the Service, so the refusal is recorded against it; an Ingress
 * group's stays on the group. Pure.
 */
export function attributeNotOwned(error: unknown, parsed: StackKey): unknown {
  if (!(error instanceof NotOwnedError) || parsed.kind !== 'service') return error;
  const name = `${parsed.namespace}/${parsed.name}`;
  return new NotOwnedError(`Service ${name}: ${error.message}`, {
    cause: error,
    subject: { kind: 'Service', name },
  });
}
