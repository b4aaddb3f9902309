import { InvalidInputError } from '../errors.js';
import { type BusEvent, DETAIL_TYPES, ReconcileRequestedDetailSchema } from './contract.js';

/**
 * The key a Reconcile Requested event asks this function to work, if it owns it. Both targets
 * (`tg#`) and stacks (`stack#`) receive every request; each takes only keys with its prefix.
 * Returns undefined for any other event, or a key owned by the other function.
 */
export function requestedKey(
  event: BusEvent,
  ownPrefix: 'tg#' | 'stack#',
  servedClusters: readonly string[],
): string | undefined {
  if (event['detail-type'] !== DETAIL_TYPES.ReconcileRequested) return undefined;
  const parsed = ReconcileRequestedDetailSchema.safeParse(event.detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `detail.${(issue?.path ?? []).map(String).join('.')}`;
    throw new InvalidInputError(`Reconcile Requested event ${event.id}: field ${field}: ${issue?.message}`, {
      subject: { kind: 'Event', name: event.id, field },
    });
  }
  if (!servedClusters.includes(parsed.data.cluster)) {
    throw new InvalidInputError(`cluster ${parsed.data.cluster} is not one this deployment serves`, {
      subject: { kind: 'Event', name: event.id, field: 'detail.cluster' },
    });
  }
  return parsed.data.key.startsWith(ownPrefix) ? parsed.data.key : undefined;
}

export function isReconcileRequest(event: BusEvent): boolean {
  return event['detail-type'] === DETAIL_TYPES.ReconcileRequested;
}
