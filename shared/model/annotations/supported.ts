import { annotationField, INGRESS_PREFIX, SERVICE_PREFIX } from './parse.js';

/**
 * Fail closed: an annotation of the LBC's set that slbc does not implement refuses its object,
 * because building the load balancer without it could expose what the author meant to protect
 * (an ignored `auth-type` serves the Ingress unauthenticated). Everything in the LBC's namespaces
 * that is not listed here is refused, typos included: a misspelt key would be ignored the same way.
 */

/** The target group and authentication settings: on an Ingress, or on the backend Service it names. */
const TARGET_GROUP_AND_AUTH = [
  'target-type',
  'backend-protocol',
  'backend-protocol-version',
  'healthcheck-port',
  'healthcheck-protocol',
  'healthcheck-path',
  'success-codes',
  'healthcheck-interval-seconds',
  'healthcheck-timeout-seconds',
  'healthy-threshold-count',
  'unhealthy-threshold-count',
  'target-group-attributes',
  'target-node-labels',
  'multi-cluster-target-group',
  'auth-type',
  'auth-idp-cognito',
  'auth-idp-oidc',
  'auth-scope',
  'auth-session-cookie',
  'auth-session-timeout',
  'auth-on-unauthenticated-request',
];

/** Ingress (and backend Service) annotations under alb.ingress.kubernetes.io/ that slbc implements. */
export const INGRESS_ANNOTATIONS: ReadonlySet<string> = new Set([
  'group.name',
  'group.order',
  'scheme',
  'ip-address-type',
  'load-balancer-name',
  'subnets',
  'security-groups',
  'load-balancer-attributes',
  'tags',
  'ssl-redirect',
  'use-regex-path-match',
  'listen-ports',
  'certificate-arn',
  'inbound-cidrs',
  'ssl-policy',
  ...TARGET_GROUP_AND_AUTH,
  'wafv2-acl-arn',
  'shield-advanced-protection',
]);

/** Families keyed by a suffix: `actions.<name>`, `conditions.<name>`, `listener-attributes.<PROTOCOL>-<port>`. */
const INGRESS_FAMILIES = ['actions.', 'conditions.', 'listener-attributes.'];

/** What a backend Service may carry under alb.ingress.kubernetes.io/: the target group and auth settings. */
export const BACKEND_SERVICE_ANNOTATIONS: ReadonlySet<string> = new Set([...TARGET_GROUP_AND_AUTH, 'tags']);

/** Service annotations under service.beta.kubernetes.io/aws-load-balancer-* that slbc implements. */
export const SERVICE_ANNOTATIONS: ReadonlySet<string> = new Set(
  [
    'type',
    'internal',
    'scheme',
    'name',
    'nlb-target-type',
    'ip-address-type',
    'subnets',
    'security-groups',
    'attributes',
    'additional-resource-tags',
    'target-group-attributes',
    'proxy-protocol',
    'backend-protocol',
    'ssl-cert',
    'ssl-ports',
    'ssl-negotiation-policy',
    'alpn-policy',
    'healthcheck-protocol',
    'healthcheck-port',
    'healthcheck-path',
    'healthcheck-success-codes',
    'healthcheck-interval',
    'healthcheck-timeout',
    'healthcheck-healthy-threshold',
    'healthcheck-unhealthy-threshold',
  ].map((suffix) => `aws-load-balancer-${suffix}`),
);

export interface UnsupportedAnnotation {
  key: string;
  field: string;
  message: string;
}

function unsupported(key: string, kind: string): UnsupportedAnnotation {
  return {
    key,
    field: annotationField(key),
    message: `annotation ${key} is not implemented by slbc (unknown or misspelt keys included): the ${kind} is refused rather than built without it`,
  };
}

/** The first (sorted) alb.ingress.kubernetes.io/ annotation of an Ingress slbc does not implement. */
export function unsupportedIngressAnnotation(
  annotations: Readonly<Record<string, string>>,
): UnsupportedAnnotation | undefined {
  const prefix = `${INGRESS_PREFIX}/`;
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    if (INGRESS_ANNOTATIONS.has(suffix)) continue;
    if (INGRESS_FAMILIES.some((family) => suffix.startsWith(family) && suffix.length > family.length))
      continue;
    return unsupported(key, 'Ingress');
  }
  return undefined;
}

/** The first alb.ingress.kubernetes.io/ annotation of a backend Service that slbc does not implement. */
export function unsupportedBackendServiceAnnotation(
  annotations: Readonly<Record<string, string>>,
): UnsupportedAnnotation | undefined {
  const prefix = `${INGRESS_PREFIX}/`;
  for (const key of Object.keys(annotations).sort()) {
    if (key.startsWith(prefix) && !BACKEND_SERVICE_ANNOTATIONS.has(key.slice(prefix.length))) {
      return unsupported(key, 'Ingress routing to this Service');
    }
  }
  return undefined;
}

/** The first service.beta.kubernetes.io/aws-load-balancer-* annotation slbc does not implement. */
export function unsupportedServiceAnnotation(
  annotations: Readonly<Record<string, string>>,
): UnsupportedAnnotation | undefined {
  const prefix = `${SERVICE_PREFIX}/aws-load-balancer-`;
  for (const key of Object.keys(annotations).sort()) {
    if (key.startsWith(prefix) && !SERVICE_ANNOTATIONS.has(key.slice(SERVICE_PREFIX.length + 1))) {
      return unsupported(key, 'Service');
    }
  }
  return undefined;
}
