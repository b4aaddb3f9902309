import type { Ingress } from '../../k8s/objects.js';
import type { EventRecorder, KubeEvent } from '../../kube/event-recorder.js';
import type { MemberRef, StackBuild } from '../../model/stack.js';
import { ingressGroupKey, type StackKey } from '../../state/keys.js';
import type { StacksDeps } from './ports.js';

/**
 * The Kubernetes Events of a stack pass, on its Ingresses or Service (the LBC's reasons):
 *
 * - `FailedBuildModel` (Warning) for each model error, on the member it names (a stack error on
 *   every member), the message naming the field;
 * - `FailedDeployModel` (Warning) when AWS refused the stack, on every member;
 * - `SuccessfullyReconciled` (Normal) on every member without an error after a pass that applied
 *   (or needed no change): after a fix, this is the Event that says the error is gone.
 *
 * A repeat patches the Event's series count (shared/kube/event-recorder.ts). Writing an Event
 * never fails the pass: a refused write is logged (RBAC missing, API down) and the pass goes on.
 */
export const EVENT_REASONS = {
  reconciled: 'SuccessfullyReconciled',
  buildFailed: 'FailedBuildModel',
  deployFailed: 'FailedDeployModel',
} as const;

type EventDeps = Pick<StacksDeps, 'logger' | 'planOnly'> & { events?: EventRecorder };

async function emit(deps: EventDeps, cluster: string, events: KubeEvent[]): Promise<void> {
  const recorder = deps.events;
  if (!recorder || deps.planOnly) return;
  for (const event of events) {
    try {
      await recorder.record(cluster, event);
    } catch (error) {
      deps.logger.warn('Kubernetes Event not written', {
        reason: event.reason,
        object: `${event.regarding.kind} ${event.regarding.namespace}/${event.regarding.name}`,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

const sameMember = (a: MemberRef, b: { kind: string; namespace: string; name: string }) =>
  a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** Every member of the pass: those that contributed and those in error. */
export function passMembers(build: StackBuild): MemberRef[] {
  const members = [...build.stack.members];
  for (const error of build.memberErrors)
    if (!members.some((member) => sameMember(member, error)))
      members.push({ kind: error.kind, namespace: error.namespace, name: error.name });
  return members;
}

/** The pass's model errors as Warning Events (what `kubectl describe` shows). */
export function modelEvents(build: StackBuild): KubeEvent[] {
  const members = passMembers(build);
  const events: KubeEvent[] = build.memberErrors.map((error) => ({
    type: 'Warning',
    reason: EVENT_REASONS.buildFailed,
    message: `${error.field}: ${error.message}`,
    regarding: { kind: error.kind, namespace: error.namespace, name: error.name },
  }));
  // "no member could be modelled" only repeats the members' own errors (as in the recorded errors)
  const stackErrors = build.stackErrors.filter(
    (error) => !(error.field === 'members' && build.memberErrors.length > 0),
  );
  for (const error of stackErrors)
    for (const member of members)
      events.push({
        type: 'Warning',
        reason: EVENT_REASONS.buildFailed,
        message: `${error.field}: ${error.message}`,
        regarding: member,
      });
  return events;
}

/** Normal events for the members a successful pass left without an error. */
export function successEvents(build: StackBuild): KubeEvent[] {
  if (build.stackErrors.length > 0) return [];
  return build.stack.members
    .filter((member) => !build.memberErrors.some((error) => sameMember(member, error)))
    .map((member) => ({
      type: 'Normal',
      reason: EVENT_REASONS.reconciled,
      message: 'Successfully reconciled',
      regarding: member,
    }));
}

export function reportModel(deps: EventDeps, parsed: StackKey, build: StackBuild): Promise<void> {
  return emit(deps, parsed.cluster, modelEvents(build));
}

export function reportSuccess(deps: EventDeps, parsed: StackKey, build: StackBuild): Promise<void> {
  return emit(deps, parsed.cluster, successEvents(build));
}

/** AWS refused the stack: a Warning on each member the mirror holds for the key. */
export async function reportDeployFailure(
  deps: EventDeps & Pick<StacksDeps, 'state'>,
  parsed: StackKey | undefined,
  key: string,
  message: string,
): Promise<void> {
  if (!parsed || !deps.events) return;
  let members: MemberRef[];
  if (parsed.kind === 'service') {
    members = [{ kind: 'Service', namespace: parsed.namespace, name: parsed.name }];
  } else {
    const ingresses = (await deps.state.mirror.listObjects(parsed.cluster, 'Ingress')) as Ingress[];
    members = ingresses
      .filter((ingress) => ingressGroupKey(parsed.cluster, ingress) === key)
      .map((ingress) => ({
        kind: 'Ingress',
        namespace: ingress.metadata.namespace ?? '',
        name: ingress.metadata.name,
      }));
  }
  await emit(
    deps,
    parsed.cluster,
    members.map((member) => ({
      type: 'Warning',
      reason: EVENT_REASONS.deployFailed,
      message,
      regarding: member,
    })),
  );
}
