import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RetryableError } from '../../errors.js';
import type { MemberError } from '../../model/stack.js';
import { type StackPlan, summarize } from '../../plan/stack-changes.js';
import type { Cause } from '../../state/index.js';
import { parseStackKey, type StackKey } from '../../state/keys.js';
import { applyPlan } from './apply.js';
import { attributeError } from './attribute.js';
import { reportModel, reportSuccess } from './kube-events.js';
import {
  clearSettledErrors,
  memberAnnotations,
  recordErrors,
  writeBindings,
  writeStatus,
} from './outputs.js';
import { attributeNotOwned } from './ownership.js';
import { newPassContext, type PassContext, type PlannedStack, planStackKey } from './plan-key.js';
import { STACKS_METRICS, type StacksDeps } from './ports.js';

/**
 * One reconcile pass for one stack key (an Ingress group or a Service):
 *
 *   mirror → discover (VPC, subnets) → actual (by tags) → model → plan → apply
 *          → bindings + Target Group Bound events → status → member errors
 *
 * Member errors are recorded against their Ingress and cleared once fixed; the rest of the group
 * is applied. A failed AWS call throws (the key stays dirty); the next pass re-plans from AWS.
 */
export interface StackPass {
  outcome: 'applied' | 'no-change' | 'planned' | 'blocked';
  plan: StackPlan;
  memberErrors: MemberError[];
}

export { newPassContext, type PassContext } from './plan-key.js';

/** Reads the model inputs (from the mirror) and AWS, builds and plans; changes nothing (the dry run stops here). */
export function planKey(
  deps: StacksDeps,
  parsed: StackKey,
  context: PassContext = newPassContext(),
): Promise<PlannedStack> {
  return planStackKey({ ...deps, objects: deps.state.mirror }, parsed, context);
}

export async function reconcileStack(
  deps: StacksDeps,
  key: string,
  cause: Cause,
  context: PassContext = newPassContext(),
): Promise<StackPass> {
  const parsed = parseStackKey(key);
  if (!parsed) throw new Error(`not a stack key: ${key}`);
  deps.metrics.addMetric(STACKS_METRICS.reconciles, MetricUnit.Count, 1);
  const { build, plan, credentials } = await planKey(deps, parsed, {
    ...context,
    resendClientSecrets: deps.planOnly !== true,
  });
  deps.logger.info('stack plan', {
    key,
    changes: summarize(plan.changes),
    plan: deps.planOnly ? plan : undefined,
  });
  await recordErrors(deps, parsed, key, build.memberErrors, plan);
  await reportModel(deps, parsed, build);
  if (deps.planOnly) return { outcome: 'planned', plan, memberErrors: build.memberErrors };
  if (build.stackErrors.length > 0) return { outcome: 'blocked', plan, memberErrors: build.memberErrors };
  let applied: Awaited<ReturnType<typeof applyPlan>>;
  try {
    applied = await applyPlan(deps, plan, key, cause, credentials);
  } catch (error) {
    // AWS refused a value: name the member and annotation that carry it (docs/stacks.md)
    // a create answered with what is not ours: named by its annotation, else the Service (ownership.ts)
    throw attributeNotOwned(
      attributeError(error, await memberAnnotations(deps, parsed.cluster, build.stack.members)),
      parsed,
    );
  }
  deps.metrics.addMetric(STACKS_METRICS.changes, MetricUnit.Count, applied.calls);
  await writeBindings(deps, parsed, build, plan, applied);
  await writeStatus(deps, parsed, build, plan, applied);
  await clearSettledErrors(deps, parsed.cluster, key);
  if (plan.waiting.length === 0) await reportSuccess(deps, parsed, build);
  if (plan.waiting.length > 0) {
    // the new target groups are bound now; the key stays dirty so a later pass moves the rules
    throw new RetryableError(
      `stack ${parsed.stackKey}: ${plan.waiting.map((wait) => wait.message).join('; ')}`,
      {
        subject: { kind: 'Stack', name: parsed.stackKey },
      },
    );
  }
  return {
    outcome: plan.changes.length > 0 ? 'applied' : 'no-change',
    plan,
    memberErrors: build.memberErrors,
  };
}
