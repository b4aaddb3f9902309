import * as z from '../zod.js';
import { type Kind, VERBS, type Verb } from './objects.js';

/**
 * The audit.k8s.io/v1 Event as EKS writes it to CloudWatch Logs, trimmed to what ingest reads,
 * and the rules that decide which events are cluster changes slbc cares about. Bodies stay
 * `unknown` here: they are trimmed by kind later, so a huge requestObject costs nothing to
 * validate.
 */

export const AUDIT_API_VERSION = 'audit.k8s.io/v1';

const ObjectRefSchema = z.object({
  resource: z.optional(z.string()),
  namespace: z.optional(z.string()),
  name: z.optional(z.string()),
  uid: z.optional(z.string()),
  apiGroup: z.optional(z.string()),
  apiVersion: z.optional(z.string()),
  resourceVersion: z.optional(z.string()),
  subresource: z.optional(z.string()),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

export const AuditEventSchema = z.object({
  kind: z.literal('Event'),
  apiVersion: z.literal(AUDIT_API_VERSION),
  level: z.enum(['None', 'Metadata', 'Request', 'RequestResponse']),
  auditID: z.string().check(z.minLength(1)),
  stage: z.string(),
  requestURI: z.string(),
  verb: z.string(),
  objectRef: z.optional(ObjectRefSchema),
  responseStatus: z.optional(z.object({ code: z.optional(z.number()) })),
  requestObject: z.optional(z.unknown()),
  responseObject: z.optional(z.unknown()),
  stageTimestamp: z.iso.datetime({ offset: true }),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** A resource slbc follows: the kind it maps to, its API group, and the subresources that matter. */
export interface WatchedResource {
  resource: string;
  kind: Kind;
  /** '' for the core group */
  apiGroup: string;
  subresources: readonly string[];
}

const watched = (resource: string, kind: Kind, apiGroup: string, subresources: string[] = []) =>
  ({ resource, kind, apiGroup, subresources }) satisfies WatchedResource;

/**
 * pods, pods/status, services, services/status, endpoints, ingresses, ingresses/status,
 * ingressclasses and nodes. EndpointSlices are absent on purpose: EKS logs them at Metadata
 * level only, so they carry no addresses (see docs/ingest.md).
 */
export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  watched('pods', 'Pod', '', ['status']),
  watched('services', 'Service', '', ['status']),
  watched('endpoints', 'Endpoints', ''),
  watched('ingresses', 'Ingress', 'networking.k8s.io', ['status']),
  watched('ingressclasses', 'IngressClass', 'networking.k8s.io'),
  watched('nodes', 'Node', ''),
];
const BY_RESOURCE = new Map(WATCHED_RESOURCES.map((entry) => [entry.resource, entry]));

export const WRITE_VERBS: readonly Verb[] = VERBS;
const WRITE_VERB_SET: ReadonlySet<string> = new Set(VERBS);

export const KEPT_STAGE = 'ResponseComplete';

/** Why an event that is a valid audit event is not a change slbc follows. */
export type DropReason =
  | 'prefilter'
  | 'stage'
  | 'verb'
  | 'resource'
  | 'failed'
  | 'dryRun'
  | 'noRelevantFields';

export type Classification =
  | { outcome: 'keep'; watched: WatchedResource; verb: Verb; objectRef: ObjectRef }
  | { outcome: 'drop'; reason: DropReason }
  | { outcome: 'malformed'; field: string; message: string };

/** Decides whether a parsed audit event is a successful write to a watched resource. */
export function classifyAuditEvent(event: AuditEvent): Classification {
  if (event.stage !== KEPT_STAGE) return { outcome: 'drop', reason: 'stage' };
  if (!WRITE_VERB_SET.has(event.verb)) return { outcome: 'drop', reason: 'verb' };
  const objectRef = event.objectRef;
  if (objectRef?.resource === undefined) {
    return {
      outcome: 'malformed',
      field: 'objectRef.resource',
      message: `a ${event.verb} without objectRef`,
    };
  }
  const resource = BY_RESOURCE.get(objectRef.resource);
  if (resource === undefined || (objectRef.apiGroup ?? '') !== resource.apiGroup) {
    return { outcome: 'drop', reason: 'resource' };
  }
  const subresource = objectRef.subresource;
  if (subresource !== undefined && !resource.subresources.includes(subresource)) {
    return { outcome: 'drop', reason: 'resource' };
  }
  const code = event.responseStatus?.code;
  if (code === undefined) {
    return {
      outcome: 'malformed',
      field: 'responseStatus.code',
      message: 'a completed request without a code',
    };
  }
  if (code < 200 || code > 299) return { outcome: 'drop', reason: 'failed' };
  // Dry-run writes are audited like real ones but change nothing.
  if (/[?&]dryRun=/.test(event.requestURI)) return { outcome: 'drop', reason: 'dryRun' };
  return { outcome: 'keep', watched: resource, verb: event.verb as Verb, objectRef };
}

// Quoted tokens every kept message must contain, whatever its formatting or key order. The API
// server's JSON encoder escapes only <, >, & and control characters, so these ASCII tokens are
// never written as \u escapes. A message missing any group cannot be kept: it is dropped before
// JSON.parse, which is most of the cost of a read line. One regex alternation per group is
// several times faster than one String.includes per token (bench/ingest.bench.ts).
const STAGE_TOKEN = `"${KEPT_STAGE}"`;
const VERB_TOKEN = new RegExp(`"(?:${VERBS.join('|')})"`);
const RESOURCE_TOKEN = new RegExp(`"(?:${WATCHED_RESOURCES.map((entry) => entry.resource).join('|')})"`);

/** A necessary condition for keeping a raw audit line: false means it can be dropped unparsed. */
export function mightBeWatchedWrite(message: string): boolean {
  return message.includes(STAGE_TOKEN) && VERB_TOKEN.test(message) && RESOURCE_TOKEN.test(message);
}
