import * as z from 'zod';

/**
 * The Kubernetes objects slbc reads, trimmed to the fields it uses. Parsing with these schemas
 * IS the trimming: zod drops every key not listed here, so the mirror, the bus events and the
 * model all see the same small, serialisable shapes. Add a field here before reading it.
 */

const stringMap = z.record(z.string(), z.string());

export const ObjectMetaSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  deletionTimestamp: z.string().nullish(),
  finalizers: z.array(z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

const ContainerPortSchema = z.object({
  name: z.string().optional(),
  containerPort: z.number(),
  protocol: z.string().optional(),
});

const PodConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().nullish(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

export const PodSchema = z.object({
  kind: z.literal('Pod').optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      nodeName: z.string().optional(),
      containers: z
        .array(z.object({ name: z.string(), ports: z.array(ContainerPortSchema).optional() }))
        .optional(),
      readinessGates: z.array(z.object({ conditionType: z.string() })).optional(),
    })
    .optional(),
  status: z
    .object({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      podIPs: z.array(z.object({ ip: z.string() })).optional(),
      conditions: z.array(PodConditionSchema).optional(),
    })
    .optional(),
});
export type Pod = z.infer<typeof PodSchema>;

const IntOrStringSchema = z.union([z.number(), z.string()]);

export const ServicePortSchema = z.object({
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number(),
  targetPort: IntOrStringSchema.optional(),
  nodePort: z.number().optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

const LoadBalancerStatusSchema = z.object({
  ingress: z.array(z.object({ hostname: z.string().optional(), ip: z.string().optional() })).optional(),
});

export const ServiceSchema = z.object({
  kind: z.literal('Service').optional(),
  metadata: ObjectMetaSchema,
  spec: z.object({
    type: z.string().optional(),
    selector: stringMap.nullish(),
    ports: z.array(ServicePortSchema).optional(),
    loadBalancerClass: z.string().optional(),
    externalTrafficPolicy: z.string().optional(),
    ipFamilies: z.array(z.string()).optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    healthCheckNodePort: z.number().optional(),
  }),
  status: z.object({ loadBalancer: LoadBalancerStatusSchema.optional() }).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

const ObjectReferenceSchema = z.object({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
});

const EndpointAddressSchema = z.object({
  ip: z.string(),
  nodeName: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
});
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

export const EndpointsSchema = z.object({
  kind: z.literal('Endpoints').optional(),
  metadata: ObjectMetaSchema,
  subsets: z
    .array(
      z.object({
        addresses: z.array(EndpointAddressSchema).optional(),
        notReadyAddresses: z.array(EndpointAddressSchema).optional(),
        ports: z
          .array(z.object({ name: z.string().optional(), port: z.number(), protocol: z.string().optional() }))
          .optional(),
      }),
    )
    .optional(),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

export const NodeSchema = z.object({
  kind: z.literal('Node').optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      providerID: z.string().optional(),
      unschedulable: z.boolean().optional(),
      taints: z
        .array(z.object({ key: z.string(), value: z.string().optional(), effect: z.string() }))
        .optional(),
    })
    .optional(),
  status: z
    .object({
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
      addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional(),
    })
    .optional(),
});
export type Node = z.infer<typeof NodeSchema>;

const ServiceBackendPortSchema = z.object({ name: z.string().optional(), number: z.number().optional() });

const IngressBackendSchema = z.object({
  service: z.object({ name: z.string(), port: ServiceBackendPortSchema.optional() }).optional(),
  resource: z.object({ apiGroup: z.string().nullish(), kind: z.string(), name: z.string() }).optional(),
});
export type IngressBackend = z.infer<typeof IngressBackendSchema>;

const HTTPIngressPathSchema = z.object({
  path: z.string().optional(),
  pathType: z.string().optional(),
  backend: IngressBackendSchema,
});
export type HTTPIngressPath = z.infer<typeof HTTPIngressPathSchema>;

export const IngressSchema = z.object({
  kind: z.literal('Ingress').optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      ingressClassName: z.string().optional(),
      defaultBackend: IngressBackendSchema.optional(),
      rules: z
        .array(
          z.object({
            host: z.string().optional(),
            http: z.object({ paths: z.array(HTTPIngressPathSchema) }).optional(),
          }),
        )
        .optional(),
      tls: z
        .array(z.object({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() }))
        .optional(),
    })
    .optional(),
  status: z.object({ loadBalancer: LoadBalancerStatusSchema.optional() }).optional(),
});
export type Ingress = z.infer<typeof IngressSchema>;

export const IngressClassSchema = z.object({
  kind: z.literal('IngressClass').optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      controller: z.string().optional(),
      parameters: z
        .object({ apiGroup: z.string().optional(), kind: z.string(), name: z.string() })
        .optional(),
    })
    .optional(),
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
} as const satisfies Record<Kind, z.ZodType>;

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
