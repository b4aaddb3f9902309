import type { Ingress } from '../../k8s/objects.js';
import { type LabelSelector, matchesSelector } from '../../k8s/selector.js';
import * as z from '../../zod.js';
import { annotationField, INGRESS_PREFIX, parseString } from '../annotations/parse.js';

/**
 * The LBC's IngressClassParams (elbv2.k8s.aws/v1beta1, cluster-scoped), as far as slbc honours it:
 *
 * - `spec.namespaceSelector`: a label selector on the Ingress's namespace; an Ingress of the class
 *   in a namespace it does not select is refused (the LBC's class_loader.go refuses it too).
 * - `spec.group.name`: the class's Ingresses belong to that group. The LBC moves them there
 *   whatever their annotation; slbc routes an Ingress change by its own `group.name`, so an
 *   Ingress of the class must name the params' group itself, else it is refused naming the field.
 *
 * Every other spec field (scheme, subnets, tags, certificates, ...) pins a setting slbc does not
 * implement from params: the Ingress is refused naming it, never built without it (fail closed).
 * Pure: the caller reads the params and the namespace labels through the Kubernetes API.
 */

export const PARAMS_KIND = 'IngressClassParams';
export const PARAMS_API_GROUP = 'elbv2.k8s.aws';

export interface IngressClassParams {
  metadata: { name: string };
  spec?: Record<string, unknown>;
}

/**
 * What the caller read. `params`: by name, `null` when the API said it does not exist.
 * `namespaceLabels`: by namespace, `null` when the namespace does not exist. A name absent from a
 * map was not read: the Ingress is refused as undecidable, its load balancer kept.
 */
export interface ClassParamsContext {
  params: ReadonlyMap<string, IngressClassParams | null>;
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>> | null>;
}

const HONOURED = new Set(['namespaceSelector', 'group']);

/** The CRD's schema for the two fields slbc reads (the API server checks it; a copy may not). */
const HonouredSpec = z.object({
  namespaceSelector: z.optional(
    z.strictObject({
      matchLabels: z.optional(z.record(z.string(), z.string())),
      matchExpressions: z.optional(
        z.array(
          z.strictObject({
            key: z.string(),
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
            values: z.optional(z.array(z.string())),
          }),
        ),
      ),
    }),
  ),
  group: z.optional(z.strictObject({ name: z.string().check(z.minLength(1)) })),
});
const GROUP_NAME = `${INGRESS_PREFIX}/group.name`;

export type ParamsVerdict = { managed: true } | { refused: { field: string; message: string } };

/** Whether an Ingress of a class referencing IngressClassParams `paramsName` may be built. */
export function paramsVerdict(
  ingress: Ingress,
  className: string,
  paramsName: string,
  context: ClassParamsContext,
): ParamsVerdict {
  const what = `IngressClass ${className} references ${PARAMS_KIND} ${paramsName}`;
  const field = 'spec.ingressClassName';
  const params = context.params.get(paramsName);
  if (params === undefined)
    return {
      refused: { field, message: `${what}, which could not be read: the load balancer is kept as it is` },
    };
  if (params === null)
    return {
      refused: { field, message: `${what}, which does not exist: the load balancer is kept as it is` },
    };
  const spec = params.spec ?? {};
  const unsupported = Object.keys(spec)
    .filter((key) => !HONOURED.has(key))
    .sort();
  if (unsupported.length > 0) {
    return {
      refused: {
        field,
        message: `${what}, whose ${unsupported.map((key) => `spec.${key}`).join(', ')} slbc does not implement: the Ingress is refused rather than built without it`,
      },
    };
  }
  const parsed = HonouredSpec.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      refused: {
        field,
        message: `${what}, whose spec.${issue?.path.join('.') ?? ''} is invalid (${issue?.message ?? 'bad value'}): the Ingress is refused`,
      },
    };
  }
  const selector: LabelSelector | undefined = parsed.data.namespaceSelector;
  if (selector !== undefined) {
    const namespace = ingress.metadata.namespace ?? '';
    const labels = context.namespaceLabels.get(namespace);
    if (labels === undefined)
      return {
        refused: {
          field,
          message: `${what}, whose namespaceSelector needs namespace ${namespace}'s labels, which could not be read`,
        },
      };
    if (!matchesSelector(labels ?? {}, selector))
      return {
        refused: {
          field,
          message: `namespace ${namespace} is not selected by the namespaceSelector of ${PARAMS_KIND} ${paramsName} (IngressClass ${className}): the Ingress is refused`,
        },
      };
  }
  const group = parsed.data.group?.name;
  if (group !== undefined) {
    const named = parseString(ingress.metadata.annotations ?? {}, GROUP_NAME);
    if (named !== group)
      return {
        refused: {
          field: annotationField(GROUP_NAME),
          message: `${what}, which puts the class's Ingresses in group ${group}: this Ingress must say so (${GROUP_NAME}: ${group}${named === undefined ? '' : `, not ${named}`})`,
        },
      };
  }
  return { managed: true };
}

/** The params names the classes of these Ingresses reference (to read before building the group). */
export function referencedParams(
  classes: readonly {
    metadata: { name: string };
    spec?: { parameters?: { kind: string; name: string; apiGroup?: string } };
  }[],
): string[] {
  const names = classes
    .map((ingressClass) => ingressClass.spec?.parameters)
    .filter((parameters) => parameters?.kind === PARAMS_KIND)
    .map((parameters) => parameters!.name);
  return [...new Set(names)].sort();
}
