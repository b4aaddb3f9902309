import type { AuditEvent, ObjectRef, WatchedResource } from '../k8s/audit.js';
import { trimPodStatusPatch } from '../k8s/audit-patch.js';
import { type AnyObject, OBJECT_SCHEMAS } from '../k8s/objects.js';
import { type ClusterChangeDetail, CONTRACT_VERSION, type Verb } from './contract.js';

/**
 * Turns one kept audit event into the bus contract's ClusterChangeDetail. The body comes from
 * the responseObject when the EKS policy logs it (RequestResponse level), else from what the
 * request carried; when neither says what the object now is, the event goes out metadata-only
 * with `needsResync: true` so consumers refetch it. `note` says why, for the log.
 */

export interface NormaliseInput {
  event: AuditEvent;
  watched: WatchedResource;
  verb: Verb;
  objectRef: ObjectRef;
  cluster: string;
  logEventId: string;
}

export type Normalised =
  | { outcome: 'detail'; detail: ClusterChangeDetail; note?: string }
  | { outcome: 'noRelevantFields' };

type Body =
  | { object: AnyObject }
  | { patch: Record<string, unknown>; uid: string | undefined }
  | { none: true; needsResync: boolean; note?: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function trimObject(input: NormaliseInput, raw: Record<string, unknown>, from: string): Body {
  const parsed = OBJECT_SCHEMAS[input.watched.kind].safeParse(raw);
  if (parsed.success) return { object: parsed.data as AnyObject };
  const issue = parsed.error.issues[0];
  const field = [from, ...(issue?.path.map(String) ?? [])].join('.');
  return {
    none: true,
    needsResync: true,
    note: `${from} is not a valid ${input.watched.kind}: field ${field}: ${issue?.message}`,
  };
}

function chooseBody(input: NormaliseInput): Body | 'noRelevantFields' {
  const { event, verb, objectRef } = input;
  if (verb === 'deletecollection') return { none: true, needsResync: true };
  const response = isRecord(event.responseObject) ? event.responseObject : undefined;
  if (verb === 'delete') {
    // A delete answers with the deleted object (terminating or gone) or with a Status when the
    // object went at once; without a response we cannot tell terminating from gone.
    if (response === undefined)
      return { none: true, needsResync: true, note: 'delete logged without a response' };
    if (response.kind === 'Status') return { none: true, needsResync: false };
    return trimObject(input, response, 'responseObject');
  }
  if (response !== undefined) return trimObject(input, response, 'responseObject');
  if (verb === 'patch' && input.watched.kind === 'Pod' && objectRef.subresource === 'status') {
    const trimmed = trimPodStatusPatch(event.requestObject);
    if (!trimmed.ok) {
      return {
        none: true,
        needsResync: true,
        note: `pods/status patch is not a strategic-merge patch: field ${trimmed.field}: ${trimmed.message}`,
      };
    }
    if (!trimmed.changesAnything) return 'noRelevantFields';
    return { patch: trimmed.patch, uid: trimmed.uid };
  }
  // create and update send the whole object; a patch sends only a fragment of it.
  if ((verb === 'create' || verb === 'update') && isRecord(event.requestObject)) {
    return trimObject(input, event.requestObject, 'requestObject');
  }
  return {
    none: true,
    needsResync: true,
    note: `a ${verb} logged at ${event.level} level carries no object`,
  };
}

/** Normalises a kept audit event; see the module comment for where the body comes from. */
export function normaliseAuditEvent(input: NormaliseInput): Normalised {
  const body = chooseBody(input);
  if (body === 'noRelevantFields') return { outcome: 'noRelevantFields' };
  const { event, objectRef } = input;
  const metadata = 'object' in body ? body.object.metadata : undefined;
  const uid = metadata?.uid ?? ('patch' in body ? body.uid : undefined) ?? objectRef.uid;
  const resourceVersion = metadata?.resourceVersion ?? objectRef.resourceVersion;
  const namespace = metadata?.namespace ?? objectRef.namespace;
  const name = input.verb === 'deletecollection' ? '' : (metadata?.name ?? objectRef.name ?? '');
  const needsResync = 'none' in body ? body.needsResync || name === '' : false;
  const detail: ClusterChangeDetail = {
    version: CONTRACT_VERSION,
    cluster: input.cluster,
    kind: input.watched.kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    ...(uid === undefined ? {} : { uid }),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    verb: input.verb,
    ...(objectRef.subresource === undefined ? {} : { subresource: objectRef.subresource }),
    observedAt: event.stageTimestamp,
    auditId: event.auditID,
    logEventId: input.logEventId,
    ...('object' in body ? { object: body.object as Record<string, unknown> } : {}),
    ...('patch' in body ? { patch: body.patch } : {}),
    ...(needsResync ? { needsResync: true } : {}),
  };
  const note = 'note' in body ? body.note : undefined;
  return note === undefined ? { outcome: 'detail', detail } : { outcome: 'detail', detail, note };
}

/** The same change with its body removed: what goes out when the body does not fit. */
export function withoutBody(detail: ClusterChangeDetail): ClusterChangeDetail {
  const { object: _object, patch: _patch, ...metadataOnly } = detail;
  return { ...metadataOnly, needsResync: true };
}
