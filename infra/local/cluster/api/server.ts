/**
 * The simulated cluster's Kubernetes API over node:http, enough for slbc's resync and status
 * writes, for @kubernetes/client-node and for kubectl: discovery (/version, /api, /apis), GET of
 * lists and objects for the kinds the simulator keeps (with labelSelector), writes of those
 * kinds (POST, PUT, PATCH incl. server-side apply, DELETE: ./writes.ts), PATCH of
 * services/pods/ingresses status (JSON, merge and strategic-merge patches), and Events
 * (events.k8s.io/v1 and core/v1: ./events.ts). Every request needs a bearer token the verifier
 * accepts (401 otherwise); errors are Kubernetes Status objects. Reads and writes of the
 * simulator's kinds are audited as the EKS policy says.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Actor } from '../audit/actors.js';
import type { SimulatedCluster } from '../cluster.js';
import { APPLYABLE_KINDS } from '../manifest.js';
import { apiVersionOf, type KubeObject, RESOURCES, type ResourceInfo } from '../objects.js';
import { EventStore } from './events.js';
import { applyPatch, contentTypeOf, HttpError, readBody, send, status } from './http.js';
import { podStatusProblem } from './pod-status.js';
import { parseLabelSelector, type ResourceRoute, routeResource } from './routes.js';
import type { TokenVerifier } from './sts-verifier.js';
import { objectWriter, writeOrReadEvents } from './writes.js';

export interface KubernetesApiOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  verifyToken: TokenVerifier;
  /** where Events are kept (default: a new store on the cluster's clock) */
  events?: EventStore;
  /**
   * a fixed credential for local clients (a kubeconfig): accepted as a bearer token, or as the
   * path prefix `/local/<token>`, since kubectl sends no Authorization header over plain HTTP
   */
  localAccess?: { token: string; arn: string };
}

/** the path under `/local/<token>`, or undefined when the request does not use that prefix */
export function localPath(pathname: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const prefix = `/local/${token}`;
  if (pathname === prefix) return '/';
  return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : undefined;
}

export interface KubernetesApiServer {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** the Events written through the API (events.k8s.io/v1 and core/v1) */
  events: EventStore;
  stop(): Promise<void>;
}

const PATCHABLE_STATUS = new Set(['Service', 'Ingress', 'Pod']);
const EVENTS_GROUP_VERSION = 'events.k8s.io/v1';
/** kubectl resolves `svc`, `ing`, `deploy`… through discovery */
const SHORT_NAMES: Record<string, string[]> = {
  Namespace: ['ns'],
  Node: ['no'],
  Pod: ['po'],
  Service: ['svc'],
  Endpoints: ['ep'],
  Deployment: ['deploy'],
  ReplicaSet: ['rs'],
  Ingress: ['ing'],
};
const WRITE_VERBS = ['get', 'list', 'create', 'update', 'patch', 'delete'];
const EVENTS_RESOURCE = {
  name: 'events',
  singularName: 'event',
  namespaced: true,
  kind: 'Event',
  shortNames: ['ev'],
  verbs: WRITE_VERBS,
};

function discovery(cluster: SimulatedCluster, pathname: string, host: string): unknown {
  const groups = new Map<string, ResourceInfo[]>();
  for (const info of RESOURCES.values()) {
    const gv = apiVersionOf(info);
    groups.set(gv, [...(groups.get(gv) ?? []), info]);
  }
  if (pathname === '/version') {
    const [major = '1', minor = '31'] = cluster.kubernetesVersion.split('.');
    return {
      major,
      minor,
      gitVersion: `v${major}.${minor}.0-eks-local`,
      gitCommit: '6c1d6d1',
      platform: 'linux/amd64',
    };
  }
  if (pathname === '/api')
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    };
  if (pathname === '/apis') {
    const named = [...groups.keys(), EVENTS_GROUP_VERSION].filter((gv) => gv.includes('/'));
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: named.map((gv) => {
        const [group, version] = gv.split('/') as [string, string];
        const entry = { groupVersion: gv, version };
        return { name: group, versions: [entry], preferredVersion: entry };
      }),
    };
  }
  const gv = pathname === '/api/v1' ? 'v1' : pathname.replace(/^\/apis\//, '');
  const infos = gv === EVENTS_GROUP_VERSION ? [] : groups.get(gv);
  if (!infos) return undefined;
  const events = gv === 'v1' || gv === EVENTS_GROUP_VERSION ? [EVENTS_RESOURCE] : [];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: infos
      .flatMap((info) => {
        const base = {
          name: info.resource,
          singularName: info.kind.toLowerCase(),
          namespaced: info.namespaced,
          kind: info.kind,
          ...(SHORT_NAMES[info.kind] ? { shortNames: SHORT_NAMES[info.kind] } : {}),
        };
        const main = { ...base, verbs: APPLYABLE_KINDS.includes(info.kind) ? WRITE_VERBS : ['get', 'list'] };
        return PATCHABLE_STATUS.has(info.kind)
          ? [main, { ...base, name: `${info.resource}/status`, verbs: ['get', 'patch'] }]
          : [main];
      })
      .concat(events),
  };
}

function withTypeMeta(object: KubeObject, info: ResourceInfo): KubeObject {
  return { ...object, apiVersion: apiVersionOf(info), kind: info.kind };
}

export async function serveKubernetesApi(
  cluster: SimulatedCluster,
  options: KubernetesApiOptions,
): Promise<KubernetesApiServer> {
  const host = options.host ?? '127.0.0.1';
  const events = options.events ?? new EventStore(() => cluster.clock.now());
  const write = objectWriter(cluster, withTypeMeta);

  async function authenticate(req: IncomingMessage, viaLocalPath: boolean): Promise<Actor> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const local = options.localAccess;
    const verdict =
      local && (viaLocalPath || match?.[1] === local.token)
        ? { ok: true, arn: local.arn }
        : match
          ? await options.verifyToken(match[1] as string)
          : undefined;
    if (!verdict) throw new HttpError(401, 'Unauthorized', 'Unauthorized: a bearer token is required');
    if (!verdict.ok || !verdict.arn)
      throw new HttpError(401, 'Unauthorized', `Unauthorized: ${verdict.reason ?? 'token rejected'}`);
    return cluster.iamActor(verdict.arn, {
      userAgent: req.headers['user-agent'] ?? 'unknown',
      sourceIP: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    });
  }

  function read(route: ResourceRoute, url: URL): unknown {
    const { resource } = route;
    if (route.name !== undefined) {
      if (route.subresource !== undefined && route.subresource !== 'status')
        throw new HttpError(
          404,
          'NotFound',
          `the server could not find the requested resource (${url.pathname})`,
        );
      const key = resource.namespaced ? `${route.namespace ?? 'default'}/${route.name}` : route.name;
      const object = cluster.get(resource.kind, key);
      if (!object)
        throw new HttpError(
          404,
          'NotFound',
          `${resource.resource}${resource.group ? `.${resource.group}` : ''} "${route.name}" not found`,
          { name: route.name, group: resource.group, kind: resource.resource },
        );
      return withTypeMeta(object, resource);
    }
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')
      throw new HttpError(
        405,
        'MethodNotAllowed',
        'watch is not supported by the simulated API; list instead',
      );
    let matches: (labels: Record<string, string> | undefined) => boolean = () => true;
    const selector = url.searchParams.get('labelSelector');
    if (selector) {
      try {
        matches = parseLabelSelector(selector);
      } catch (error) {
        throw new HttpError(400, 'BadRequest', (error as Error).message);
      }
    }
    const items = cluster
      .list(resource.kind, route.namespace)
      .filter((o) => matches(o.metadata.labels))
      .map((o) => withTypeMeta(o, resource));
    return {
      apiVersion: apiVersionOf(resource),
      kind: `${resource.kind}List`,
      metadata: { resourceVersion: cluster.resourceVersion() },
      items,
    };
  }

  async function patchStatus(route: ResourceRoute, req: IncomingMessage, actor: Actor): Promise<unknown> {
    const { resource } = route;
    if (route.name === undefined || route.subresource !== 'status' || !PATCHABLE_STATUS.has(resource.kind))
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `PATCH is only served for services/status, ingresses/status and pods/status`,
      );
    const key = `${route.namespace ?? 'default'}/${route.name}`;
    const current = cluster.get(resource.kind, key);
    if (!current)
      throw new HttpError(404, 'NotFound', `${resource.resource} "${route.name}" not found`, {
        name: route.name,
        kind: resource.resource,
      });
    const contentType = contentTypeOf(req);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'BadRequest', 'the patch body is not valid JSON');
    }
    const patched = applyPatch(current, body, contentType, `${resource.kind} "${route.name}"`);
    const nextStatus = (patched as { status?: unknown }).status ?? {};
    validateStatus(resource.kind, route.name, nextStatus);
    return withTypeMeta(
      cluster.patchStatus(resource.kind as 'Service' | 'Ingress' | 'Pod', key, nextStatus, actor, body),
      resource,
    );
  }

  const server = createServer((req, res) => {
    void (async () => {
      const requested = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
      const local = localPath(requested.pathname, options.localAccess?.token);
      const url = local === undefined ? requested : new URL(`${local}${requested.search}`, requested);
      try {
        const actor = await authenticate(req, local !== undefined);
        if (req.method === 'GET') {
          const found = discovery(cluster, url.pathname, `${host}:${port}`);
          if (found !== undefined) return send(res, 200, found);
        }
        const evented = await writeOrReadEvents(events, req.method ?? 'GET', url, req);
        if (evented) return send(res, evented.code, evented.body);
        const routed = routeResource(url.pathname);
        if (!routed)
          throw new HttpError(
            404,
            'NotFound',
            `the server could not find the requested resource (${url.pathname})`,
          );
        if (!routed.ok) throw new HttpError(404, 'NotFound', routed.reason);
        const { route } = routed;
        if (req.method === 'GET') {
          const result = read(route, url);
          cluster.recordRead(actor, route, url.search.slice(1));
          return send(res, 200, result);
        }
        if (req.method === 'PATCH' && route.subresource === 'status')
          return send(res, 200, await patchStatus(route, req, actor));
        const written = await write(req.method ?? '', route, req);
        return send(res, written.code, written.body);
      } catch (error) {
        if (error instanceof HttpError)
          return send(res, error.code, status(error.code, error.reason, error.message, error.details));
        send(res, 500, status(500, 'InternalError', error instanceof Error ? error.message : String(error)));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    events,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** status.loadBalancer.ingress must be a list of { hostname?, ip?, ports? }. */
function validateStatus(kind: string, name: string, value: unknown): void {
  const invalid = (field: string, message: string) =>
    new HttpError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${message}`, {
      name,
      kind,
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    });
  if (kind === 'Pod') {
    const problem = podStatusProblem(value);
    if (problem) throw invalid(problem.field, problem.message);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('status', 'must be an object');
  const lb = (value as { loadBalancer?: unknown }).loadBalancer;
  if (lb === undefined || lb === null) return;
  if (typeof lb !== 'object' || Array.isArray(lb)) throw invalid('status.loadBalancer', 'must be an object');
  const ingress = (lb as { ingress?: unknown }).ingress;
  if (ingress === undefined || ingress === null) return;
  if (!Array.isArray(ingress)) throw invalid('status.loadBalancer.ingress', 'must be a list');
  ingress.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null)
      throw invalid(`status.loadBalancer.ingress[${i}]`, 'must be an object');
    const { hostname, ip } = entry as { hostname?: unknown; ip?: unknown };
    if (hostname !== undefined && typeof hostname !== 'string')
      throw invalid(`status.loadBalancer.ingress[${i}].hostname`, 'must be a string');
    if (ip !== undefined && (typeof ip !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)))
      throw invalid(`status.loadBalancer.ingress[${i}].ip`, 'must be an IPv4 address');
  });
}
