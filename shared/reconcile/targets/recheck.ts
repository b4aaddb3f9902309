import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { isRetryable } from '../../errors.js';
import type { BusEvent } from '../../events/contract.js';
import { desiredTargets } from '../../model/targets.js';
import { reconcileKeys } from '../../state/index.js';
import * as z from '../../zod.js';
import { answerGates, gatedTargets, healthByTarget, scheduleRecheck } from './gates.js';
import { describeTargetGroup, loadInputs } from './pass.js';
import type { TargetsDeps } from './ports.js';
import { processEvent, type TargetsSummary } from './process.js';

/**
 * The delayed re-check (an SQS delay queue feeding the targets function, docs/targets.md):
 * each message names a target group whose gated pods were not yet healthy. The re-check reads
 * the health of only those pods' targets (DescribeTargetHealth with Targets, as the LBC does),
 * patches their gate conditions, and asks for another re-check while one is still not True.
 * It writes nothing to ELBv2, so it takes no lease: the conditions are recomputed from a fresh
 * read each time, and a full pass (an event) may run beside it.
 */
const RecheckSchema = z.object({
  version: z.literal(1),
  cluster: z.string().check(z.minLength(1)),
  targetGroupArn: z.string().check(z.minLength(1)),
});

export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) && records.every((r) => (r as { eventSource?: unknown }).eventSource === 'aws:sqs')
  );
}

/** The targets function's one entry: bus events, or a batch of re-checks from its SQS queue. */
export async function handleTargetsInput(
  deps: TargetsDeps,
  event: BusEvent | SQSEvent,
): Promise<TargetsSummary | SQSBatchResponse> {
  return isSqsEvent(event) ? processRechecks(deps, event) : processEvent(deps, event);
}

/** Every record is worked; a retryable failure is reported for that record only (ReportBatchItemFailures). */
export async function processRechecks(deps: TargetsDeps, event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = RecheckSchema.safeParse(body);
    if (!parsed.success) {
      const field = (parsed.error.issues[0]?.path ?? []).map(String).join('.') || 'body';
      await deps.state.errors.record({
        cluster: 'unknown',
        kind: 'Event',
        name: record.messageId,
        field,
        message: `re-check message ${record.messageId}: field ${field}: ${parsed.error.issues[0]?.message ?? 'not JSON'}`,
        key: 'targets',
      });
      continue;
    }
    try {
      await recheckTargetGroup(deps, parsed.data.cluster, parsed.data.targetGroupArn);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      deps.logger.warn('re-check failed; SQS delivers it again', {
        targetGroupArn: parsed.data.targetGroupArn,
        message: (error as Error).message,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export async function recheckTargetGroup(
  deps: TargetsDeps,
  cluster: string,
  targetGroupArn: string,
): Promise<{ asked: number; pending: boolean }> {
  // cleared first: this re-check may need to schedule the next one
  await deps.state.queue.clearRecheck(reconcileKeys.targetGroup(targetGroupArn));
  const binding = await deps.state.bindings.get(targetGroupArn);
  if (binding === undefined || binding.cluster !== cluster || !deps.config.clusters.includes(cluster))
    return { asked: 0, pending: false };
  if (binding.targetType !== 'ip') return { asked: 0, pending: false };
  const inputs = await loadInputs(deps, binding);
  const desired = desiredTargets(inputs);
  if (desired.kind !== 'targets') return { asked: 0, pending: false };
  const open = gatedTargets(desired.targets, inputs.pods).filter(({ pod, gates }) =>
    gates.some((type) => pod.status?.conditions?.find((c) => c.type === type)?.status !== 'True'),
  );
  if (open.length === 0) return { asked: 0, pending: false };
  const actual = await deps.elbv2.describeTargets(
    targetGroupArn,
    open.map(({ target }) => ({ id: target.id, port: target.port })),
  );
  const pending = await answerGates(deps, binding, open, healthByTarget(actual));
  if (pending) {
    const info = await describeTargetGroup(deps, targetGroupArn);
    await scheduleRecheck(deps, binding, info.healthCheckIntervalSeconds);
  }
  return { asked: open.length, pending };
}
