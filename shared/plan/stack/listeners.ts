import type { ListenerResource, ListenerSpec } from '../../model/stack.js';
import { RESOURCE_TYPES } from '../../model/stack.js';
import { canonicalActions, carriesClientSecret } from '../rules-equality.js';
import type { ActualListener } from '../stack-actual.js';
import { type Change, refPath, resolveRefs } from '../stack-changes.js';
import { type Holds, withFillingGroups } from './filling-groups.js';
import { changedAttributes, type KnownValues } from './scope.js';

/**
 * Listeners, matched by port on the kept load balancer: modified in place when their protocol,
 * default actions, default certificate or SSL policy differ, else created. Listener attributes
 * (only the keys the model sets) are written when AWS holds another value. Stale ones are
 * collected with the garbage.
 */
export interface PlannedListener {
  id: string;
  port: number;
  /** the actual listener on the same port, if any */
  existing?: ActualListener;
  /** its createListener or modifyListener change, if it needs one */
  change?: Change;
  /** its modifyListenerAttributes change (a created listener's go with its createListener) */
  attributes?: Change;
}

export interface ListenersPlan {
  /** in port order */
  listeners: PlannedListener[];
  /** Ref paths of existing listeners -> ARN */
  known: [string, string][];
  /** ARNs of the actual listeners that stay */
  kept: Set<string>;
}

export function planListeners(
  desired: Readonly<Record<string, ListenerResource>>,
  actual: readonly ActualListener[],
  known: KnownValues,
  holds: Holds,
  resendClientSecrets = false,
): ListenersPlan {
  const plan: ListenersPlan = { listeners: [], known: [], kept: new Set() };
  const byPort = Object.entries(desired).sort((a, b) => a[1].spec.port - b[1].spec.port);
  for (const [id, { spec: rawSpec }] of byPort) {
    const existing = actual.find((listener) => listener.port === rawSpec.port);
    const spec = resolveRefs(
      { ...rawSpec, defaultActions: withFillingGroups(rawSpec.defaultActions, holds) },
      known,
    );
    if (!existing) {
      plan.listeners.push({ id, port: spec.port, change: { op: 'createListener', id, spec } });
      continue;
    }
    plan.kept.add(existing.arn);
    plan.known.push([refPath(RESOURCE_TYPES.listener, id, 'listenerARN'), existing.arn]);
    // ELBv2 never returns an OIDC client secret: the LBC re-sends it on every reconcile
    const resend = resendClientSecrets && carriesClientSecret(spec.defaultActions);
    const attributes = changedAttributes(spec.listenerAttributes ?? [], existing.attributes ?? {});
    plan.listeners.push({
      id,
      port: spec.port,
      existing,
      ...(resend || listenerDiffers(spec, existing)
        ? { change: { op: 'modifyListener', id, arn: existing.arn, spec } }
        : {}),
      ...(attributes.length > 0
        ? { attributes: { op: 'modifyListenerAttributes', arn: existing.arn, attributes } }
        : {}),
    });
  }
  return plan;
}

/**
 * The listener changes in apply order: port order, except that a listener whose default action
 * redirects to another listener of the stack (HTTP:80 to HTTPS:443 under ssl-redirect) comes after
 * the listeners it redirects to. A pass stops at its first failure, so a listener that cannot be
 * created (a bad certificate) leaves HTTP:80 as it was instead of redirecting to nothing.
 * Rule changes are not moved: they follow every listener change, in port order, as the rule
 * quota's room is counted.
 */
export function listenerChangesInOrder(listeners: readonly PlannedListener[]): Change[] {
  const ports = new Set(listeners.map((listener) => listener.port));
  const redirects = (listener: PlannedListener) =>
    redirectPorts(listener.change).some((port) => port !== listener.port && ports.has(port));
  const first = listeners.filter((listener) => !redirects(listener));
  const last = listeners.filter(redirects);
  return [...first, ...last].flatMap((listener) => [
    ...(listener.change ? [listener.change] : []),
    ...(listener.attributes ? [listener.attributes] : []),
  ]);
}

/** The ports a listener change's default actions redirect to (`#{port}`, the same port, is not one). */
function redirectPorts(change: Change | undefined): number[] {
  if (change?.op !== 'createListener' && change?.op !== 'modifyListener') return [];
  return change.spec.defaultActions.flatMap((action) =>
    action.type === 'redirect' && /^\d+$/.test(action.redirectConfig.port ?? '')
      ? [Number(action.redirectConfig.port)]
      : [],
  );
}

function listenerDiffers(spec: ListenerSpec, existing: ActualListener): boolean {
  if (spec.protocol !== existing.protocol) return true;
  if (canonicalActions(spec.defaultActions) !== canonicalActions(existing.defaultActions)) return true;
  const defaultCertificate = spec.certificates?.[0]?.certificateARN;
  if (defaultCertificate !== undefined && defaultCertificate !== existing.certificates[0]) return true;
  if (spec.sslPolicy !== undefined && spec.sslPolicy !== existing.sslPolicy) return true;
  return false;
}
