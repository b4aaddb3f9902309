import type { Ingress, IngressClass } from '../../k8s/objects.js';
import { annotationField, INGRESS_PREFIX, parseInt32, parseString } from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import { ALB_CONTROLLER } from '../inputs.js';
import type { MemberError } from '../stack.js';

/**
 * Which Ingresses slbc manages, the group each belongs to, and the order of a group's members
 * (pkg/ingress/group_loader.go, class_loader.go). IngressClassParams is not supported (see docs/model.md).
 */

/** namespace '' = an explicit group (group.name); otherwise the implicit group of one Ingress. */
export interface IngressGroupId {
  namespace: string;
  name: string;
}

export interface IngressGroup {
  id: IngressGroupId;
  /** active members, sorted: group.order ascending, then namespace/name */
  members: Ingress[];
  /** members that could not be ordered (bad group.order): they contribute nothing */
  memberErrors: MemberError[];
}

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const GROUP_NAME = `${INGRESS_PREFIX}/group.name`;
const GROUP_ORDER = `${INGRESS_PREFIX}/group.order`;
const GROUP_NAME_PATTERN = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

export function groupIdString(id: IngressGroupId): string {
  return id.namespace === '' ? id.name : `${id.namespace}/${id.name}`;
}

export function validateGroupName(name: string): string | undefined {
  if (!GROUP_NAME_PATTERN.test(name)) {
    return "groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  if (name.length > 63) return 'groupName must be no more than 63 characters';
  return undefined;
}

export function ingressKey(ingress: Ingress): string {
  return `${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}`;
}

export function memberError(ingress: Ingress, field: string, message: string): MemberError {
  const namespace = ingress.metadata.namespace ?? '';
  const name = ingress.metadata.name;
  return {
    kind: 'Ingress',
    namespace,
    name,
    field,
    message: `Ingress ${namespace}/${name} ${field}: ${message}`,
  };
}

/** The legacy annotation wins; else spec.ingressClassName; else the cluster's default IngressClass. */
export function isManagedIngress(
  ingress: Ingress,
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
): boolean {
  if (ingress.metadata.deletionTimestamp) return false;
  const legacy = ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy !== undefined) return legacy === config.ingressClass;
  const className = ingress.spec?.ingressClassName;
  const ingressClass =
    className === undefined
      ? singleDefaultClass(ingressClasses)
      : ingressClasses.find((candidate) => candidate.metadata.name === className);
  return ingressClass?.spec?.controller === ALB_CONTROLLER;
}

function singleDefaultClass(ingressClasses: readonly IngressClass[]): IngressClass | undefined {
  const defaults = ingressClasses.filter(
    (candidate) => candidate.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  );
  // more than one default class is ambiguous: Kubernetes itself refuses to pick one
  return defaults.length === 1 ? defaults[0] : undefined;
}

export type GroupOf = { id: IngressGroupId } | { error: MemberError };

/** The group an Ingress belongs to: group.name, or its own implicit group. */
export function groupOf(ingress: Ingress): GroupOf {
  const explicit = parseString(ingress.metadata.annotations ?? {}, GROUP_NAME);
  if (explicit === undefined) {
    return { id: { namespace: ingress.metadata.namespace ?? '', name: ingress.metadata.name } };
  }
  const invalid = validateGroupName(explicit);
  if (invalid) return { error: memberError(ingress, annotationField(GROUP_NAME), invalid) };
  return { id: { namespace: '', name: explicit } };
}

export function groupOrder(ingress: Ingress): { order: number } | { error: MemberError } {
  const parsed = parseInt32(ingress.metadata.annotations ?? {}, GROUP_ORDER);
  const field = annotationField(GROUP_ORDER);
  if (!parsed.ok) {
    return {
      error: memberError(
        ingress,
        field,
        `failed to load Ingress group order for ingress: ${ingressKey(ingress)}: ${parsed.error}`,
      ),
    };
  }
  const order = parsed.value ?? 0;
  if (order < -1000 || order > 1000) {
    return {
      error: memberError(
        ingress,
        field,
        `explicit Ingress group order must be within [-1000:1000], Ingress: ${ingressKey(ingress)}, order: ${order}`,
      ),
    };
  }
  return { order };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts members by group.order then namespace/name; members with a bad order become errors. */
export function sortGroupMembers(ingresses: readonly Ingress[]): {
  members: Ingress[];
  memberErrors: MemberError[];
} {
  const ordered: { ingress: Ingress; order: number; key: string }[] = [];
  const memberErrors: MemberError[] = [];
  for (const ingress of ingresses) {
    const order = groupOrder(ingress);
    if ('error' in order) memberErrors.push(order.error);
    else ordered.push({ ingress, order: order.order, key: ingressKey(ingress) });
  }
  ordered.sort((a, b) => a.order - b.order || compareKeys(a.key, b.key));
  return { members: ordered.map((entry) => entry.ingress), memberErrors };
}

/**
 * Every managed Ingress sorted into its group. An Ingress with an invalid group name belongs to no
 * group (it leaves the one it was in, as with the LBC); its error comes back in `unassigned`.
 */
export function loadIngressGroups(
  ingresses: readonly Ingress[],
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
): { groups: IngressGroup[]; unassigned: MemberError[] } {
  const byGroup = new Map<string, { id: IngressGroupId; ingresses: Ingress[] }>();
  const unassigned: MemberError[] = [];
  for (const ingress of ingresses) {
    if (!isManagedIngress(ingress, ingressClasses, config)) continue;
    const group = groupOf(ingress);
    if ('error' in group) {
      unassigned.push(group.error);
      continue;
    }
    const key = groupIdString(group.id);
    const entry = byGroup.get(key) ?? { id: group.id, ingresses: [] };
    entry.ingresses.push(ingress);
    byGroup.set(key, entry);
  }
  const groups = [...byGroup.values()].map(({ id, ingresses: members }) => ({
    id,
    ...sortGroupMembers(members),
  }));
  return { groups, unassigned };
}

/** One group's members (an empty member list means the group's stack is empty: delete it). */
export function loadIngressGroup(
  id: IngressGroupId,
  ingresses: readonly Ingress[],
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
): IngressGroup {
  const key = groupIdString(id);
  const members = ingresses.filter((ingress) => {
    if (!isManagedIngress(ingress, ingressClasses, config)) return false;
    const group = groupOf(ingress);
    return 'id' in group && groupIdString(group.id) === key;
  });
  return { id, ...sortGroupMembers(members) };
}
