/**
 * Writes through the simulated Kubernetes API, so kubectl (or any client) can change the
 * cluster while it runs: POST (create), PUT (replace), PATCH (JSON, merge, strategic merge, and
 * server-side apply's apply-patch+yaml) and DELETE of the kinds the simulator keeps, each going
 * through the cluster's own apply/delete (its checks, its audit log); and Events (./events.ts).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { SlbcError } from '../../../../shared/errors.js';
import type { SimulatedCluster } from '../cluster.js';
import { APPLYABLE_KINDS } from '../manifest.js';
import type { KubeObject, ResourceInfo } from '../objects.js';
import { applyMergePatch, PatchError } from '../patch.js';
import { EventConflict, EventInvalid, type EventStore, routeEvents } from './events.js';
import { applyPatch, contentTypeOf, HttpError, readBody, readJson } from './http.js';
import type { ResourceRoute } from './routes.js';

export interface WriteResult {
  code: number;
  body: unknown;
}

const READ_ONLY_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
];

/** what the cluster's apply takes: the object without server-set metadata and status */
function manifestOf(object: unknown, resource: ResourceInfo, route: ResourceRoute): KubeObject {
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new HttpError(400, 'BadRequest', `the body must be a ${resource.kind} object`);
  const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
  const metadata = { ...(rest.metadata ?? {}) } as Record<string, unknown>;
  for (const field of READ_ONLY_METADATA) delete metadata[field];
  if (rest.kind !== undefined && rest.kind !== resource.kind)
    throw new HttpError(
      400,
      'BadRequest',
      `the body's kind ${String(rest.kind)} does not match ${resource.resource}`,
    );
  if (route.namespace !== undefined) {
    if (metadata['namespace'] !== undefined && metadata['namespace'] !== route.namespace)
      throw invalid(
        resource,
        String(metadata['name']),
        'metadata.namespace',
        'does not match the namespace of the request',
      );
    metadata['namespace'] = route.namespace;
  }
  if (route.name !== undefined) {
    if (metadata['name'] !== undefined && metadata['name'] !== route.name)
      throw invalid(resource, route.name, 'metadata.name', 'does not match the name of the request');
    metadata['name'] = route.name;
  }
  return { ...rest, kind: resource.kind, metadata } as KubeObject;
}

function invalid(resource: ResourceInfo, name: string, field: string, message: string): HttpError {
  return new HttpError(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${field}: ${message}`, {
    name,
    kind: resource.resource,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}

function keyOf(resource: ResourceInfo, namespace: string | undefined, name: string): string {
  return resource.namespaced ? `${namespace ?? 'default'}/${name}` : name;
}

export function objectWriter(
  cluster: SimulatedCluster,
  typed: (object: KubeObject, info: ResourceInfo) => KubeObject,
) {
  function applyObject(manifest: KubeObject, resource: ResourceInfo): KubeObject {
    try {
      cluster.apply(manifest);
    } catch (error) {
      if (error instanceof SlbcError)
        throw new HttpError(422, 'Invalid', error.message, {
          name: manifest.metadata.name,
          kind: resource.resource,
        });
      throw error;
    }
    const stored = cluster.get(
      resource.kind,
      keyOf(resource, manifest.metadata.namespace, manifest.metadata.name),
    );
    if (!stored)
      throw new HttpError(500, 'InternalError', `${resource.kind} ${manifest.metadata.name} was not stored`);
    return typed(stored, resource);
  }

  return async function write(
    method: string,
    route: ResourceRoute,
    req: IncomingMessage,
  ): Promise<WriteResult> {
    const { resource } = route;
    if (!APPLYABLE_KINDS.includes(resource.kind))
      throw new HttpError(405, 'MethodNotAllowed', `${resource.resource} are read-only in the simulated API`);
    if (route.subresource !== undefined)
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${method} is not served for ${resource.resource}/${route.subresource}`,
      );
    if (method === 'POST') {
      if (route.name !== undefined)
        throw new HttpError(405, 'MethodNotAllowed', 'POST goes to the collection');
      const manifest = manifestOf(await readJson(req), resource, route);
      const name = manifest.metadata?.name;
      if (typeof name !== 'string' || name === '')
        throw invalid(resource, '', 'metadata.name', 'Required value');
      if (cluster.get(resource.kind, keyOf(resource, manifest.metadata.namespace, name)))
        throw new HttpError(409, 'AlreadyExists', `${resource.resource} "${name}" already exists`, {
          name,
          kind: resource.resource,
        });
      return { code: 201, body: applyObject(manifest, resource) };
    }
    if (route.name === undefined)
      throw new HttpError(405, 'MethodNotAllowed', `${method} needs an object name`);
    const key = keyOf(resource, route.namespace, route.name);
    const current = cluster.get(resource.kind, key);
    const notFound = () =>
      new HttpError(404, 'NotFound', `${resource.resource} "${route.name}" not found`, {
        name: route.name,
        kind: resource.resource,
      });
    if (method === 'DELETE') {
      if (!current) throw notFound();
      cluster.delete(resource.kind, key);
      return {
        code: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: route.name, kind: resource.resource },
        },
      };
    }
    if (method === 'PUT') {
      if (!current) throw notFound();
      return { code: 200, body: applyObject(manifestOf(await readJson(req), resource, route), resource) };
    }
    if (method === 'PATCH') {
      const contentType = contentTypeOf(req);
      if (contentType === 'application/apply-patch+yaml') {
        const text = await readBody(req);
        let intent: unknown;
        try {
          intent = parseYaml(text) as unknown;
        } catch {
          throw new HttpError(400, 'BadRequest', 'the apply patch is not valid YAML or JSON');
        }
        const merged = current ? applyMergePatch(current, intent) : intent;
        return {
          code: current ? 200 : 201,
          body: applyObject(manifestOf(merged, resource, route), resource),
        };
      }
      if (!current) throw notFound();
      const body = await readJson(req);
      const patched = applyPatch(current, body, contentType, `${resource.kind} "${route.name}"`);
      return { code: 200, body: applyObject(manifestOf(patched, resource, route), resource) };
    }
    throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported by the simulated API`);
  };
}

/** Serves the Event paths; undefined when the path is not an Event path. */
export async function writeOrReadEvents(
  store: EventStore,
  method: string,
  url: URL,
  req: IncomingMessage,
): Promise<WriteResult | undefined> {
  const route = routeEvents(url.pathname);
  if (!route) return undefined;
  const { api, namespace, name } = route;
  try {
    if (method === 'GET' && name === undefined)
      return {
        code: 200,
        body: {
          apiVersion: api,
          kind: 'EventList',
          metadata: {},
          items: store
            .list(namespace)
            .map((event) => store.view(event, api))
            .filter(fieldSelector(url.searchParams.get('fieldSelector') ?? '')),
        },
      };
    if (namespace === undefined) throw new HttpError(405, 'MethodNotAllowed', `${method} needs a namespace`);
    if (method === 'POST' && name === undefined)
      return { code: 201, body: store.view(store.create(namespace, await readJson(req), api), api) };
    if (name === undefined) throw new HttpError(405, 'MethodNotAllowed', `${method} needs an Event name`);
    const notFound = new HttpError(404, 'NotFound', `events "${name}" not found`, { name, kind: 'events' });
    if (method === 'GET') {
      const event = store.get(namespace, name);
      if (!event) throw notFound;
      return { code: 200, body: store.view(event, api) };
    }
    if (method === 'PATCH') {
      const event = store.patch(namespace, name, await readJson(req), contentTypeOf(req), api);
      if (!event) throw notFound;
      return { code: 200, body: store.view(event, api) };
    }
    if (method === 'DELETE') {
      if (!store.delete(namespace, name)) throw notFound;
      return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } };
    }
    throw new HttpError(405, 'MethodNotAllowed', `${method} is not served for events`);
  } catch (error) {
    if (error instanceof EventInvalid)
      throw new HttpError(422, 'Invalid', `Event "${name ?? ''}" is invalid: ${error.message}`, {
        kind: 'Event',
        causes: [{ reason: 'FieldValueInvalid', message: error.problem, field: error.field }],
      });
    if (error instanceof EventConflict)
      throw new HttpError(409, 'AlreadyExists', error.message, { name: error.eventName, kind: 'events' });
    if (error instanceof PatchError)
      throw new HttpError(422, 'Invalid', `Event "${name ?? ''}": ${error.message}`);
    throw error;
  }
}

/**
 * `kubectl describe` lists an object's Events with a field selector such as
 * `involvedObject.name=shop,involvedObject.namespace=demo,involvedObject.kind=Ingress`:
 * dotted paths into the Event as served, `=`, `==` or `!=`, comma-separated.
 */
export function fieldSelector(selector: string): (event: Record<string, unknown>) => boolean {
  const terms = selector
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '')
    .map((term) => {
      const match = /^([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!match) throw new HttpError(400, 'BadRequest', `invalid field selector term "${term}"`);
      const [, path = '', operator, value = ''] = match;
      return (event: Record<string, unknown>) => {
        let at: unknown = event;
        for (const part of path.split('.'))
          at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[part] : undefined;
        const actual = at === undefined || at === null ? '' : String(at);
        return operator === '!=' ? actual !== value : actual === value;
      };
    });
  return (event) => terms.every((matches) => matches(event));
}
