import * as z from '../zod.js';

/**
 * The Kubernetes objects slbc reads, trimmed to the fields it uses. Parsing with these schemas
 * IS the trimming: zod drops every key not listed here, so the mirror, the bus events and the
 * model all see the same small, serialisable shapes. Add a field here before reading it.
 */

const stringMap = z.record(z.string(), z.string());

export const ObjectMetaSchema = z.object({
  name: z.string(),
  namespace: z.optional(z.string()),
  uid: z.optional(z.string()),
  resourceVersion: z.optional(z.string()),
  generation: z.optional(z.number()),
  labels: z.optional(stringMap),
  annotations: z.optional(stringMap),
  creationTimestamp: z.optional(z.string()),
  deletionTimestamp: z.nullish(z.string()),
  finalizers: z.optional(z.array(z.string())),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

const ContainerPortSchema = z.object({
  name: z.optional(z.string()),
  containerPort: z.number(),
  protocol: z.optional(z.string()),
});

const PodConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.nullish(z.string()),
  // kept for readiness-gate conditions: slbc patches only when status, reason or message changed
  reason: z.nullish(z.string()),
  message: z.nullish(z.string()),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

export const PodSchema = z.object({
  kind: z.optional(z.literal('Pod')),
  metadata: ObjectMetaSchema,
  spec: z.optional(
    z.object({
      nodeName: z.optional(z.string()),
      containers: z.optional(
        z.array(z.object({ name: z.string(), ports: z.optional(z.array(ContainerPortSchema)) })),
      ),
      readinessGates: z.optional(z.array(z.object({ conditionType: z.string() }))),
    }),
  ),
  status: z.optional(
    z.object({
      phase: z.optional(z.string()),
      podIP: z.optional(z.string()),
      podIPs: z.optional(z.array(z.object({ ip: z.string() }))),
      conditions: z.optional(z.array(PodConditionSchema)),
    }),
  ),
});
export type Pod = z.infer<typeof PodSchema>;

const IntOrStringSchema = z.union([z.number(), z.string()]);

export const ServicePortSchema = z.object({
  name: z.optional(z.string()),
  protocol: z.optional(z.string()),
  port: z.number(),
  targetPort: z.optional(IntOrStringSchema),
  nodePort: z.optional(z.number()),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

const LoadBalancerStatusSchema = z.object({
  ingress: z.optional(z.array(z.object({ hostname: z.optional(z.string()), ip: z.optional(z.string()) }))),
});

export const ServiceSchema = z.object({
  kind: z.optional(z.literal('Service')),
  metadata: ObjectMetaSchema,
  spec: z.object({
    type: z.optional(z.string()),
    selector: z.nullish(stringMap),
    ports: z.optional(z.array(ServicePortSchema)),
    loadBalancerClass: z.optional(z.string()),
    externalTrafficPolicy: z.optional(z.string()),
    ipFamilies: z.optional(z.array(z.string())),
    loadBalancerSourceRanges: z.optional(z.array(z.string())),
    healthCheckNodePort: z.optional(z.number()),
  }),
  status: z.optional(z.object({ loadBalancer: z.optional(LoadBalancerStatusSchema) })),
});
export type Service = z.infer<typeof ServiceSchema>;

const ObjectReferenceSchema = z.object({
  kind: z.optional(z.string()),
  namespace: z.optional(z.string()),
  name: z.optional(z.string()),
  uid: z.optional(z.string()),
});

const EndpointAddressSchema = z.object({
  ip: z.string(),
  nodeName: z.optional(z.string()),
  targetRef: z.optional(ObjectReferenceSchema),
});
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

/** The endpoints controller's mark on an Endpoints truncated past 1,000 addresses. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

export const EndpointsSchema = z.object({
  kind: z.optional(z.literal('Endpoints')),
  metadata: ObjectMetaSchema,
  subsets: z.optional(
    z.array(
      z.object({
        addresses: z.optional(z.array(EndpointAddressSchema)),
        notReadyAddresses: z.optional(z.array(EndpointAddressSchema)),
        ports: z.optional(
          z.array(
            z.object({ name: z.optional(z.string()), port: z.number(), protocol: z.optional(z.string()) }),
          ),
        ),
      }),
    ),
  ),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

export const NodeSchema = z.object({
  kind: z.optional(z.literal('Node')),
  metadata: ObjectMetaSchema,
  spec: z.optional(
    z.object({
      providerID: z.optional(z.string()),
      unschedulable: z.optional(z.boolean()),
      taints: z.optional(
        z.array(z.object({ key: z.string(), value: z.optional(z.string()), effect: z.string() })),
      ),
    }),
  ),
  status: z.optional(
    z.object({
      conditions: z.optional(z.array(z.object({ type: z.string(), status: z.string() }))),
      addresses: z.optional(z.array(z.object({ type: z.string(), address: z.string() }))),
    }),
  ),
});
export type Node = z.infer<typeof NodeSchema>;

const ServiceBackendPortSchema = z.object({ name: z.optional(z.string()), number: z.optional(z.number()) });

const IngressBackendSchema = z.object({
  service: z.optional(z.object({ name: z.string(), port: z.optional(ServiceBackendPortSchema) })),
  resource: z.optional(z.object({ apiGroup: z.nullish(z.string()), kind: z.string(), name: z.string() })),
});
export type IngressBackend = z.infer<typeof IngressBackendSchema>;

const HTTPIngressPathSchema = z.object({
  path: z.optional(z.string()),
  pathType: z.optional(z.string()),
  backend: IngressBackendSchema,
});
export type HTTPIngressPath = z.infer<typeof HTTPIngressPathSchema>;

export const IngressSchema = z.object({
  kind: z.optional(z.literal('Ingress')),
  metadata: ObjectMetaSchema,
  spec: z.optional(
    z.object({
      ingressClassName: z.optional(z.string()),
      defaultBackend: z.optional(IngressBackendSchema),
      rules: z.optional(
        z.array(
          z.object({
            host: z.optional(z.string()),
            http: z.optional(z.object({ paths: z.array(HTTPIngressPathSchema) })),
          }),
        ),
      ),
      tls: z.optional(
        z.array(z.object({ hosts: z.optional(z.array(z.string())), secretName: z.optional(z.string()) })),
      ),
    }),
  ),
  status: z.optional(z.object({ loadBalancer: z.optional(LoadBalancerStatusSchema) })),
});
export type Ingress = z.infer<typeof IngressSchema>;

export const IngressClassSchema = z.object({
  kind: z.optional(z.literal('IngressClass')),
  metadata: ObjectMetaSchema,
  spec: z.optional(
    z.object({
      controller: z.optional(z.string()),
      parameters: z.optional(
        z.object({ apiGroup: z.optional(z.string()), kind: z.string(), name: z.string() }),
      ),
    }),
  ),
});
export type IngressClass = z.infer<typeof IngressClassSchema>;

export const KINDS = ['Pod', 'Service', 'Endpoints', 'Node', 'Ingress', 'IngressClass'] as const;
export type Kind = (typeof KINDS)[number];

export const OBJECT_SCHEMAS = {
  Pod: PodSchema,
  Service: ServiceSchema,
  Endpoints: EndpointsSchema,
  Node: NodeSchema,
  Ingress: IngressSchema,
  IngressClass: IngressClassSchema,
} as const satisfies Record<Kind, z.ZodMiniType>;

export interface ObjectsByKind {
  Pod: Pod;
  Service: Service;
  Endpoints: Endpoints;
  Node: Node;
  Ingress: Ingress;
  IngressClass: IngressClass;
}
export type AnyObject = ObjectsByKind[Kind];

/** Kinds without a namespace. */
export const CLUSTER_SCOPED: ReadonlySet<Kind> = new Set<Kind>(['Node', 'IngressClass']);

/** The write verbs of the Kubernetes API that change an object (the audit log's `verb`). */
export const VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type Verb = (typeof VERBS)[number];
