import type { Ingress, IngressClass } from '../../k8s/objects.js';
import { field, INGRESS_PREFIX } from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import { groupIdString, groupOf, type IngressGroupId, isManagedIngress } from './group.js';

/**
 * Which Ingress groups a change touches, so the stacks function reconciles exactly those: an
 * Ingress's group before and after the change (leaving a group must rebuild the old one), and every
 * group with a member that routes to a changed Service.
 */

type ClassConfig = Pick<ModelEnvironment['config'], 'ingressClass'>;

const USE_ANNOTATION = 'use-annotation';

function managedGroup(ingress: Ingress | undefined, classes: readonly IngressClass[], config: ClassConfig) {
  if (!ingress || !isManagedIngress(ingress, classes, config)) return undefined;
  const group = groupOf(ingress);
  return 'id' in group ? group.id : undefined;
}

function unique(ids: (IngressGroupId | undefined)[]): IngressGroupId[] {
  const byKey = new Map<string, IngressGroupId>();
  for (const id of ids) if (id) byKey.set(groupIdString(id), id);
  return [...byKey.values()];
}

export function groupsOfIngressChange(
  before: Ingress | undefined,
  after: Ingress | undefined,
  classes: readonly IngressClass[],
  config: ClassConfig,
): IngressGroupId[] {
  return unique([managedGroup(before, classes, config), managedGroup(after, classes, config)]);
}

/** Every group with a managed member: what a full pass (resync, `slbc plan`, a benchmark) works. */
export function ingressGroupIds(
  ingresses: readonly Ingress[],
  classes: readonly IngressClass[],
  config: ClassConfig,
): IngressGroupId[] {
  return unique(ingresses.map((ingress) => managedGroup(ingress, classes, config)));
}

/**
 * Service names an Ingress routes to: plain backends, and the forward tuples of the `actions.*`
 * annotations its rules use. A backend whose port is `use-annotation` names an action, not a
 * Service (the LBC's rule): its name is looked up as `actions.<name>`, and an action no backend
 * uses routes nowhere. Annotations are parsed as JSON, never matched as text.
 */
export function referencedServiceNames(ingress: Ingress): Set<string> {
  const names = new Set<string>();
  const usedActions = new Set<string>();
  const backends = [
    ingress.spec?.defaultBackend,
    ...(ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths.map((path) => path.backend) ?? []),
  ];
  for (const backend of backends) {
    if (!backend?.service) continue;
    if (backend.service.port?.name === USE_ANNOTATION) usedActions.add(backend.service.name);
    else names.add(backend.service.name);
  }
  const annotations = ingress.metadata.annotations ?? {};
  for (const action of usedActions) {
    const raw = annotations[`${INGRESS_PREFIX}/actions.${action}`];
    if (raw === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue; // a broken action is reported by the group build; it references nothing here
    }
    const tuples = field(field(json, 'forwardConfig'), 'targetGroups');
    for (const tuple of Array.isArray(tuples) ? tuples : []) {
      const serviceName = field(tuple, 'serviceName');
      if (typeof serviceName === 'string') names.add(serviceName);
    }
  }
  return names;
}

export function groupsReferencingService(
  service: { namespace: string; name: string },
  ingresses: readonly Ingress[],
  classes: readonly IngressClass[],
  config: ClassConfig,
): IngressGroupId[] {
  return unique(
    ingresses
      .filter(
        (ingress) =>
          (ingress.metadata.namespace ?? '') === service.namespace &&
          referencedServiceNames(ingress).has(service.name),
      )
      .map((ingress) => managedGroup(ingress, classes, config)),
  );
}

/**
 * Groups an IngressClass change may touch: those of every Ingress naming the class, or naming
 * none (the class may have become or stopped being the default). Whether slbc still manages
 * them is the group build's question: a group that lost its class must be emptied.
 */
export function groupsOfIngressClassChange(
  className: string,
  ingresses: readonly Ingress[],
): IngressGroupId[] {
  return unique(
    ingresses
      .filter((ingress) => {
        const named = ingress.spec?.ingressClassName;
        return named === undefined || named === className;
      })
      .map((ingress) => {
        const group = groupOf(ingress);
        return 'id' in group ? group.id : undefined;
      }),
  );
}
