/**
 * Reads manifests as kubectl would: multi-document YAML (or objects), one object per document,
 * `kind: List` unpacked. Each object is checked before anything is applied, and a problem is
 * reported as `<Kind> <ns>/<name>: <field>: <what is wrong>` so the author can find the line.
 * Checks cover what the API server would refuse and what the simulator relies on (ports,
 * selectors, names); unknown fields pass through, as the API server keeps them.
 */
import { parseAllDocuments } from 'yaml';
import * as z from 'zod';
import { InvalidInputError } from '../../../shared/errors.js';
import { apiVersionOf, type Deployment, type KubeObject, RESOURCES, type Service } from './objects.js';

/** Kinds `apply` accepts (the controllers own ReplicaSets, Endpoints and EndpointSlices). */
export const APPLYABLE_KINDS = [
  'Namespace',
  'Node',
  'Pod',
  'Deployment',
  'Service',
  'Ingress',
  'IngressClass',
  'IngressClassParams',
  'Secret',
];

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const stringMap = z.record(z.string(), z.string({ error: 'must be a string (quote numbers and booleans)' }));
const portNumber = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');
const portName = z
  .string()
  .max(15, 'a port name is at most 15 characters')
  .regex(PORT_NAME, 'a port name is lowercase letters, digits and "-"')
  .refine((name) => /[a-z]/.test(name), 'a port name must contain a letter');
const protocol = z.enum(['TCP', 'UDP', 'SCTP'], { error: 'must be TCP, UDP or SCTP' });
const intOrPercent = z.union([
  z.number().int().min(0, 'must not be negative'),
  z.string().regex(/^\d+%$/, 'must be an integer or a percentage like "25%"'),
]);

const metadata = z.looseObject({
  name: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .max(253, 'is at most 253 characters')
    .regex(DNS_SUBDOMAIN, 'must be lowercase letters, digits, "-" and "." (RFC 1123)'),
  namespace: z.string().regex(DNS_LABEL, 'must be a DNS label (RFC 1123)').optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const container = z.looseObject({
  name: z.string({ error: 'is required' }).regex(DNS_LABEL, 'must be a DNS label (RFC 1123)'),
  image: z.string().optional(),
  ports: z
    .array(
      z.looseObject({ containerPort: portNumber, name: portName.optional(), protocol: protocol.optional() }),
    )
    .optional(),
  lifecycle: z
    .looseObject({
      preStop: z
        .looseObject({
          exec: z
            .looseObject({ command: z.array(z.string(), { error: 'must be a list of strings' }).min(1) })
            .optional(),
          sleep: z.looseObject({ seconds: z.number().int().min(0, 'must not be negative') }).optional(),
        })
        .optional(),
    })
    .optional(),
});

const podSpec = z.looseObject({
  containers: z.array(container, { error: 'is required' }).min(1, 'needs at least one container'),
  terminationGracePeriodSeconds: z.number().int().min(0, 'must not be negative').optional(),
  readinessGates: z
    .array(z.looseObject({ conditionType: z.string({ error: 'is required' }).min(1, 'is required') }))
    .optional(),
  nodeName: z.string().optional(),
});

const backend = z.looseObject({
  service: z
    .looseObject({
      name: z.string({ error: 'is required' }),
      port: z
        .looseObject({ number: portNumber.optional(), name: z.string().optional() }, { error: 'is required' })
        .refine(
          (p) => (p.number === undefined) !== (p.name === undefined),
          'set exactly one of number and name',
        ),
    })
    .optional(),
  resource: z.looseObject({ kind: z.string(), name: z.string() }).optional(),
});

const SPEC_SCHEMAS: Record<string, z.ZodType> = {
  Namespace: z.looseObject({}),
  Node: z.looseObject({}),
  Pod: z.looseObject({ spec: podSpec }),
  Deployment: z.looseObject({
    spec: z.looseObject(
      {
        replicas: z.number().int().min(0, 'must not be negative').optional(),
        selector: z.looseObject(
          { matchLabels: stringMap.refine((m) => Object.keys(m).length > 0, 'must not be empty') },
          { error: 'is required' },
        ),
        template: z.looseObject(
          { metadata: z.looseObject({ labels: stringMap.optional() }).optional(), spec: podSpec },
          { error: 'is required' },
        ),
        strategy: z
          .looseObject({
            type: z
              .enum(['RollingUpdate', 'Recreate'], { error: 'must be RollingUpdate or Recreate' })
              .optional(),
            rollingUpdate: z
              .looseObject({ maxSurge: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() })
              .optional(),
          })
          .optional(),
      },
      { error: 'is required' },
    ),
  }),
  Service: z.looseObject({
    spec: z.looseObject(
      {
        type: z
          .enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], {
            error: 'must be ClusterIP, NodePort, LoadBalancer or ExternalName',
          })
          .optional(),
        selector: stringMap.nullish(),
        ports: z
          .array(
            z.looseObject({
              port: portNumber,
              name: portName.optional(),
              protocol: protocol.optional(),
              targetPort: z.union([portNumber, portName]).optional(),
              nodePort: z
                .number()
                .int()
                .min(30000, 'must be in 30000-32767')
                .max(32767, 'must be in 30000-32767')
                .optional(),
            }),
          )
          .optional(),
      },
      { error: 'is required' },
    ),
  }),
  Ingress: z.looseObject({
    spec: z
      .looseObject({
        ingressClassName: z.string().optional(),
        defaultBackend: backend.optional(),
        rules: z
          .array(
            z.looseObject({
              host: z.string().optional(),
              http: z
                .looseObject({
                  paths: z.array(
                    z.looseObject({
                      path: z.string().optional(),
                      pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific'], {
                        error: 'must be Exact, Prefix or ImplementationSpecific',
                      }),
                      backend,
                    }),
                  ),
                })
                .optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  }),
  IngressClass: z.looseObject({ spec: z.looseObject({ controller: z.string().optional() }).optional() }),
  Secret: z.looseObject({
    data: z
      .record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' }))
      .optional(),
    stringData: z.record(z.string(), z.string({ error: 'must be a string' })).optional(),
  }),
};

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

function invalid(kind: string, name: string, field: string, problem: string): InvalidInputError {
  return new InvalidInputError(`${kind} ${name}: ${field}: ${problem}`, { subject: { kind, name, field } });
}

function label(object: Record<string, unknown>): { kind: string; name: string } {
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '<unnamed>';
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const info = RESOURCES.get(kind);
  if (info?.namespaced)
    return { kind, name: `${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${name}` };
  return { kind, name };
}

function crossChecks(object: KubeObject, kind: string, name: string): void {
  if (kind === 'Deployment') {
    const spec = object.spec as Deployment['spec'];
    const selector = spec.selector.matchLabels ?? {};
    const labels = spec.template.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(selector))
      if (labels[key] !== value)
        throw invalid(
          kind,
          name,
          'spec.template.metadata.labels',
          `does not match spec.selector.matchLabels (${key}=${value})`,
        );
    const rolling = spec.strategy?.rollingUpdate;
    if (rolling && isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable))
      throw invalid(
        kind,
        name,
        'spec.strategy.rollingUpdate',
        'maxSurge and maxUnavailable may not both be 0',
      );
  }
  if (kind === 'Service') {
    const spec = object.spec as Service['spec'];
    const ports = spec.ports ?? [];
    if (spec.type !== 'ExternalName' && ports.length === 0)
      throw invalid(kind, name, 'spec.ports', 'needs at least one port');
    if (ports.length > 1)
      ports.forEach((port, i) => {
        if (!port.name)
          throw invalid(
            kind,
            name,
            `spec.ports[${i}].name`,
            'is required when a Service has more than one port',
          );
      });
    const seen = new Set<string>();
    ports.forEach((port, i) => {
      const id = `${port.port}/${port.protocol ?? 'TCP'}`;
      if (seen.has(id)) throw invalid(kind, name, `spec.ports[${i}]`, `duplicate port ${id}`);
      seen.add(id);
    });
  }
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0%';
}

/** The API server merges a Secret's `stringData` into `data`, base64-encoded, and never stores it. */
function secretStringData(secret: Record<string, unknown>): void {
  const strings = secret['stringData'] as Record<string, string> | undefined;
  if (strings === undefined) return;
  const data = { ...((secret['data'] as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(strings))
    data[key] = Buffer.from(value, 'utf8').toString('base64');
  secret['data'] = data;
  delete secret['stringData'];
}

/** Checks one object and fills the defaults kubectl and the API server fill (namespace, apiVersion). */
export function validateObject(raw: unknown, where = 'manifest'): KubeObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidInputError(`${where}: expected an object with apiVersion, kind and metadata`, {
      subject: { kind: 'Manifest', name: where },
    });
  const object = raw as Record<string, unknown>;
  const { kind, name } = label(object);
  if (typeof object.kind !== 'string') throw invalid('object', `${where} ${name}`, 'kind', 'is required');
  const info = RESOURCES.get(kind);
  if (!info || !APPLYABLE_KINDS.includes(kind))
    throw invalid(
      kind,
      name,
      'kind',
      `unknown or unsupported kind (supported: ${APPLYABLE_KINDS.join(', ')})`,
    );
  if (object.apiVersion !== apiVersionOf(info))
    throw invalid(
      kind,
      name,
      'apiVersion',
      `must be ${apiVersionOf(info)} (got ${JSON.stringify(object.apiVersion)})`,
    );
  const meta = metadata.safeParse(object.metadata);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    throw invalid(
      kind,
      name,
      fieldPath(['metadata', ...(issue?.path ?? [])]),
      issue?.message ?? 'is invalid',
    );
  }
  const body = SPEC_SCHEMAS[kind]?.safeParse(object);
  if (body && !body.success) {
    const issue = body.error.issues[0];
    throw invalid(kind, name, fieldPath(issue?.path ?? []), issue?.message ?? 'is invalid');
  }
  const result = structuredClone(object) as unknown as KubeObject;
  if (kind === 'Secret') secretStringData(result as unknown as Record<string, unknown>);
  if (info.namespaced) result.metadata.namespace ??= 'default';
  else if (result.metadata.namespace !== undefined)
    throw invalid(kind, name, 'metadata.namespace', `${kind} is cluster-scoped and takes no namespace`);
  crossChecks(result, kind, name);
  return result;
}

/** Parses YAML (one or more documents), an object, or an array of objects into checked objects. */
export function parseManifests(input: string | unknown): KubeObject[] {
  const raws: { value: unknown; where: string }[] = [];
  if (typeof input === 'string') {
    parseAllDocuments(input).forEach((doc, index) => {
      const where = `document ${index + 1}`;
      if (doc.errors.length > 0) {
        const error = doc.errors[0];
        throw new InvalidInputError(`manifest ${where}: invalid YAML: ${error?.message ?? 'parse error'}`, {
          subject: { kind: 'Manifest', name: where },
        });
      }
      const value = doc.toJS();
      if (value !== null && value !== undefined) raws.push({ value, where });
    });
  } else if (Array.isArray(input)) {
    for (const [i, value] of input.entries()) raws.push({ value, where: `item ${i + 1}` });
  } else raws.push({ value: input, where: 'object' });
  const objects: KubeObject[] = [];
  for (const { value, where } of raws) {
    const record = value as { kind?: unknown; items?: unknown };
    if (record && record.kind === 'List' && Array.isArray(record.items))
      for (const [i, item] of record.items.entries())
        objects.push(validateObject(item, `${where} item ${i + 1}`));
    else objects.push(validateObject(value, where));
  }
  return objects;
}
