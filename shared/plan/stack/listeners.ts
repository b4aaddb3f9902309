import type { ListenerResource, ListenerSpec } from '../../model/stack.js';
import { RESOURCE_TYPES } from '../../model/stack.js';
import { canonicalActions } from '../rules-equality.js';
import type { ActualListener } from '../stack-actual.js';
import { type Change, refPath, resolveRefs } from '../stack-changes.js';
import { type Holds, withFillingGroups } from './filling-groups.js';
import type { KnownValues } from './scope.js';

/**
 * Listeners, matched by port on the kept load balancer: modified in place when their protocol,
 * default actions, default certificate or SSL policy differ, else created. Stale ones are
 * collected with the garbage.
 */
export interface PlannedListener {
  id: string;
  port: number;
  /** the actual listener on the same port, if any */
  existing?: ActualListener;
  /** its createListener or modifyListener change, if it needs one */
  change?: Change;
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
    plan.listeners.push({
      id,
      port: spec.port,
      existing,
      ...(listenerDiffers(spec, existing)
        ? { change: { op: 'modifyListener', id, arn: existing.arn, spec } }
        : {}),
    });
  }
  return plan;
}

function listenerDiffers(spec: ListenerSpec, existing: ActualListener): boolean {
  if (spec.protocol !== existing.protocol) return true;
  if (canonicalActions(spec.defaultActions) !== canonicalActions(existing.defaultActions)) return true;
  const defaultCertificate = spec.certificates?.[0]?.certificateARN;
  if (defaultCertificate !== undefined && defaultCertificate !== existing.certificates[0]) return true;
  if (spec.sslPolicy !== undefined && spec.sslPolicy !== existing.sslPolicy) return true;
  return false;
}
