/**
 * Builds audit.k8s.io/v1 Events the way the API server writes them at stage ResponseComplete:
 * the level comes from the EKS policy, bodies are kept or dropped by level, objectRef takes
 * uid/resourceVersion from a full request object (never from a patch), timestamps carry
 * microseconds. Requests whose level is None are not written at all.
 */
import type { Clock } from '../../aws/context.js';
import type { ResourceInfo } from '../objects.js';
import type { Rng } from '../rng.js';
import type { Actor, UserInfo } from './actors.js';
import { type AuditLevel, auditLevel } from './policy.js';

export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: AuditLevel;
  auditID: string;
  stage: 'ResponseComplete' | 'ResponseStarted';
  requestURI: string;
  verb: string;
  user: UserInfo;
  sourceIPs: string[];
  userAgent: string;
  objectRef?: ObjectRef;
  responseStatus: {
    metadata: Record<string, never>;
    code: number;
    status?: string;
    reason?: string;
    message?: string;
  };
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations: Record<string, string>;
}

export interface ObjectRef {
  resource: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion: string;
  resourceVersion?: string;
  subresource?: string;
}

/** One API request as the simulator makes it; the writer turns it into (at most) one Event. */
export interface AuditRequest {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  resource: ResourceInfo;
  namespace?: string | undefined;
  /** absent for list and for create with generateName */
  name?: string | undefined;
  subresource?: string;
  /** the query string without '?', e.g. kubectl's fieldManager */
  query?: string;
  /** the body as sent: an object, a patch document or DeleteOptions */
  requestObject?: unknown;
  responseObject?: unknown;
  /** defaults to 200 (201 for create) */
  code?: number;
  failure?: { reason: string; message: string };
  stage?: AuditEvent['stage'];
  /** extra annotations beside the authorization decision */
  annotations?: Record<string, string>;
}

export interface AuditWriterOptions {
  clock: Clock;
  rng: Rng;
  /** receives every event whose level is not None */
  emit(event: AuditEvent): void;
}

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
export function formatMicroTime(ms: number, micros: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

export function requestPath(request: Pick<AuditRequest, 'resource' | 'namespace' | 'name' | 'subresource'>) {
  const { resource } = request;
  let path =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  if (resource.namespaced && request.namespace !== undefined) path += `/namespaces/${request.namespace}`;
  path += `/${resource.resource}`;
  if (request.name !== undefined) path += `/${request.name}`;
  if (request.subresource !== undefined) path += `/${request.subresource}`;
  return path;
}

function metadataOf(body: unknown): { name?: string; uid?: string; resourceVersion?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { kind?: unknown; metadata?: unknown };
  // A patch or DeleteOptions has no `kind` of a stored object; only full objects fill objectRef.
  if (typeof record.kind !== 'string' || record.kind === 'DeleteOptions') return undefined;
  return typeof record.metadata === 'object' && record.metadata !== null
    ? (record.metadata as { name?: string; uid?: string; resourceVersion?: string })
    : undefined;
}

export class AuditWriter {
  constructor(private readonly options: AuditWriterOptions) {}

  /** Writes the event for `request` made by `actor`; returns it, or undefined when the policy says None. */
  write(actor: Actor, request: AuditRequest): AuditEvent | undefined {
    const { resource } = request;
    const level = auditLevel({
      username: actor.user.username,
      groups: actor.user.groups,
      verb: request.verb,
      apiGroup: resource.group,
      resource: resource.resource,
      ...(request.subresource === undefined ? {} : { subresource: request.subresource }),
      ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
      ...(request.name === undefined ? {} : { name: request.name }),
    });
    if (level === 'None') return undefined;

    const { clock, rng } = this.options;
    const received = clock.now();
    const receivedMicros = rng.int(1000);
    // The API server takes a few milliseconds between receiving and completing a request.
    const completedMicros = receivedMicros + 1000 + rng.int(15_000);
    const code = request.code ?? (request.verb === 'create' ? 201 : 200);
    const bodyMeta = metadataOf(request.requestObject);

    // Filled key by key to keep the API server's field order.
    const objectRef = { resource: resource.resource } as ObjectRef;
    if (request.namespace !== undefined) objectRef.namespace = request.namespace;
    const name = request.name ?? (request.verb === 'create' ? bodyMeta?.name : undefined);
    if (name !== undefined) objectRef.name = name;
    if (bodyMeta?.uid !== undefined) objectRef.uid = bodyMeta.uid;
    if (resource.group !== '') objectRef.apiGroup = resource.group;
    objectRef.apiVersion = resource.version;
    if (bodyMeta?.resourceVersion !== undefined) objectRef.resourceVersion = bodyMeta.resourceVersion;
    if (request.subresource !== undefined) objectRef.subresource = request.subresource;

    // A create is POSTed to the collection; the name is in the body (and in objectRef).
    const pathName =
      request.verb === 'create' && request.subresource === undefined ? undefined : request.name;
    const head = {
      kind: 'Event' as const,
      apiVersion: 'audit.k8s.io/v1' as const,
      level,
      auditID: rng.uuid(),
      stage: request.stage ?? 'ResponseComplete',
      requestURI: requestPath({ ...request, name: pathName }) + (request.query ? `?${request.query}` : ''),
      verb: request.verb,
      user: actor.user,
      sourceIPs: [actor.sourceIP],
      userAgent: actor.userAgent,
      objectRef,
      responseStatus: request.failure
        ? { metadata: {}, status: 'Failure', ...request.failure, code }
        : { metadata: {}, code },
    };
    // Bodies by level: Request keeps what was sent, RequestResponse also what came back.
    const bodies: Pick<AuditEvent, 'requestObject' | 'responseObject'> = {};
    if ((level === 'Request' || level === 'RequestResponse') && request.requestObject !== undefined)
      bodies.requestObject = request.requestObject;
    if (level === 'RequestResponse' && request.responseObject !== undefined)
      bodies.responseObject = request.responseObject;
    // Keys in the order the API server serialises them, so lines read like real ones.
    const ordered: AuditEvent = {
      ...head,
      ...bodies,
      requestReceivedTimestamp: formatMicroTime(received, receivedMicros),
      stageTimestamp: formatMicroTime(received + Math.floor(completedMicros / 1000), completedMicros),
      annotations: {
        'authorization.k8s.io/decision': 'allow',
        'authorization.k8s.io/reason': actor.authorizationReason,
        ...request.annotations,
      },
    };
    this.options.emit(ordered);
    return ordered;
  }
}
