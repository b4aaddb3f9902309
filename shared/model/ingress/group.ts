import type { Ingress, IngressClass } from '../../k8s/objects.js';
import { annotationField, INGRESS_PREFIX, parseInt32, parseString } from '../annotations/parse.js';
import type { ModelEnvironment } from '../inputs.js';
import { ALB_CONTROLLER } from '../inputs.js';
import type { MemberError } from '../stack.js';
import { type ClassParamsContext, PARAMS_KIND, paramsVerdict } from './class-params.js';

/**
 * Which Ingresses slbc manages, the group each belongs to, and the order of a group's members
 * (pkg/ingress/group_loader.go, class_loader.go). IngressClassParams: `namespaceSelector` and `group`
 * when the caller read them (class-params.ts); without them a class referencing params refuses.
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
  /** members that could not be ordered (bad group.order) or whose class is missing: they contribute nothing */
  memberErrors: MemberError[];
  /** members being deleted (deletionTimestamp set): their deletion protection can hold the group */
  leaving?: Ingress[];
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

/**
 * Whether slbc manages an Ingress, ignoring deletion. `unresolved`: the Ingress names an IngressClass
 * that does not exist (or one whose IngressClassParams slbc cannot read) and shows signs of being
 * ours; slbc cannot tell, so it reports an error and keeps what exists, as the LBC does.
 */
export type ClassMatch = { managed: true } | { managed: false } | { unresolved: MemberError };

/** The legacy annotation wins; else spec.ingressClassName; else the cluster's default IngressClass. */
export function matchClass(
  ingress: Ingress,
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
  paramsContext?: ClassParamsContext,
): ClassMatch {
  const legacy = ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy !== undefined) return { managed: legacy === config.ingressClass };
  const className = ingress.spec?.ingressClassName;
  const ingressClass =
    className === undefined
      ? singleDefaultClass(ingressClasses)
      : ingressClasses.find((candidate) => candidate.metadata.name === className);
  if (ingressClass === undefined) {
    if (className === undefined || !looksOurs(ingress)) return { managed: false };
    return {
      unresolved: memberError(
        ingress,
        'spec.ingressClassName',
        `IngressClass ${className} not found: slbc cannot tell whether it manages this Ingress, so it keeps the load balancer as it is (delete the Ingress, or change its class, to remove it)`,
      ),
    };
  }
  if (ingressClass.spec?.controller !== ALB_CONTROLLER) return { managed: false };
  const parameters = ingressClass.spec.parameters;
  if (parameters?.kind === PARAMS_KIND && paramsContext !== undefined) {
    const verdict = paramsVerdict(ingress, ingressClass.metadata.name, parameters.name, paramsContext);
    if ('refused' in verdict)
      return { unresolved: memberError(ingress, verdict.refused.field, verdict.refused.message) };
  } else if (parameters?.kind === PARAMS_KIND) {
    return {
      unresolved: memberError(
        ingress,
        'spec.ingressClassName',
        `IngressClass ${ingressClass.metadata.name} references ${PARAMS_KIND} ${parameters.name}, which slbc cannot read here: the Ingress is refused and its load balancer kept as it is`,
      ),
    };
  }
  return { managed: true };
}

/**
 * Signs that slbc (or the LBC) may have built something for this Ingress: an annotation of the
 * LBC's namespace, an LBC finalizer, or a load balancer hostname in its status. Without any, an
 * Ingress naming a missing class is someone else's and there is nothing to keep.
 */
function looksOurs(ingress: Ingress): boolean {
  const annotations = Object.keys(ingress.metadata.annotations ?? {});
  if (annotations.some((key) => key.startsWith(`${INGRESS_PREFIX}/`))) return true;
  if ((ingress.metadata.finalizers ?? []).some((finalizer) => finalizer.includes('ingress.k8s.aws')))
    return true;
  return (ingress.status?.loadBalancer?.ingress ?? []).some((entry) => entry.hostname?.includes('.elb.'));
}

/**
 * Whether a change to this Ingress concerns slbc: managed, or naming a class slbc cannot resolve
 * (its group must be rebuilt to report the error and keep what exists). Ingresses being deleted are
 * not members.
 */
export function isManagedIngress(
  ingress: Ingress,
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
): boolean {
  if (ingress.metadata.deletionTimestamp) return false;
  const match = matchClass(ingress, ingressClasses, config);
  return 'unresolved' in match || match.managed;
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

interface Entries {
  members: Ingress[];
  unresolved: MemberError[];
  leaving: Ingress[];
}

const emptyEntries = (): Entries => ({ members: [], unresolved: [], leaving: [] });

function addEntry(entries: Entries, ingress: Ingress, match: ClassMatch): void {
  if (ingress.metadata.deletionTimestamp) {
    if ('unresolved' in match || match.managed) entries.leaving.push(ingress);
  } else if ('unresolved' in match) entries.unresolved.push(match.unresolved);
  else if (match.managed) entries.members.push(ingress);
}

function toGroup(id: IngressGroupId, entries: Entries): IngressGroup {
  const sorted = sortGroupMembers(entries.members);
  return {
    id,
    members: sorted.members,
    memberErrors: [...sorted.memberErrors, ...entries.unresolved],
    ...(entries.leaving.length > 0 ? { leaving: entries.leaving } : {}),
  };
}

/** One group's members (an empty member list means the group's stack is empty: delete it). */
export function loadIngressGroup(
  id: IngressGroupId,
  ingresses: readonly Ingress[],
  ingressClasses: readonly IngressClass[],
  config: Pick<ModelEnvironment['config'], 'ingressClass'>,
  paramsContext?: ClassParamsContext,
): IngressGroup {
  const key = groupIdString(id);
  const entries = emptyEntries();
  for (const ingress of ingresses) {
    const group = groupOf(ingress);
    if (!('id' in group) || groupIdString(group.id) !== key) continue;
    addEntry(entries, ingress, matchClass(ingress, ingressClasses, config, paramsContext));
  }
  return toGroup(id, entries);
}
