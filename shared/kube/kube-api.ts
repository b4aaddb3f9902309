import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NotFoundError, RetryableError, SlbcError } from '../errors.js';
import { CLUSTER_SCOPED, type Kind } from '../k8s/objects.js';

/**
 * The few Kubernetes API calls slbc makes: list every object of a kind (paginated) and patch
 * the status of an Ingress or a Service. A deliberately small client over node:https: the
 * official client's configuration loader alone bundles to ~830 KB minified, over the 250 KB
 * Lambda bundle budget, while these calls need a bearer token, the cluster CA and JSON.
 * test/integration/resync checks that it reads exactly what @kubernetes/client-node reads.
 */
export interface KubeApiTarget {
  /** the API server URL from DescribeCluster (or the simulated cluster's) */
  server: string;
  /** an EKS bearer token (`k8s-aws-v1.…`) */
  token: string;
  /** base64 PEM of the cluster CA; empty or absent for a plain-HTTP local API */
  caData?: string;
  /** per request, default 10 s */
  timeoutMs?: number;
}

export interface KubeList {
  items: Record<string, unknown>[];
  /** the list's resourceVersion: the snapshot the items belong to */
  resourceVersion: string | undefined;
}

export interface KubeApi {
  /** every object of `kind` in every namespace; throws unless every page was read */
  list(kind: Kind): Promise<KubeList>;
  patchStatus(kind: 'Ingress' | 'Service', namespace: string, name: string, status: unknown): Promise<void>;
  /**
   * One Secret's data, base64-decoded (the stacks function reads OIDC client credentials, never
   * logged); undefined when there is no such Secret. Optional: only stacks reads Secrets.
   */
  getSecret?(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /**
   * A strategic-merge patch of a pod's status conditions (merged by type), with the pod's uid
   * as precondition, as the LBC patches readiness-gate conditions. Optional: only the targets
   * function answers readiness gates. A pod that is gone throws NotFoundError.
   */
  patchPodConditions?(
    namespace: string,
    name: string,
    uid: string | undefined,
    conditions: readonly Record<string, unknown>[],
  ): Promise<void>;
  /**
   * events.k8s.io/v1 Events of a namespace: read one by name, create one, merge-patch one (the
   * series count of a repeat). Optional: only the stacks function writes Events.
   */
  getEvent?(namespace: string, name: string): Promise<Record<string, unknown> | undefined>;
  /**
   * One object by name (namespace ignored for cluster-scoped kinds), with kind and apiVersion;
   * undefined when it does not exist. The stacks function fetches an object whose change came
   * without its body (`needsResync`: too large for the bus).
   */
  getObject?(
    kind: Kind,
    namespace: string | undefined,
    name: string,
  ): Promise<Record<string, unknown> | undefined>;
  /**
   * A cluster-scoped object by name: the LBC's IngressClassParams (elbv2.k8s.aws/v1beta1) or a
   * Namespace (for its labels); undefined when it does not exist. Optional: only stacks reads them.
   */
  getClusterObject?(
    kind: 'IngressClassParams' | 'Namespace',
    name: string,
  ): Promise<Record<string, unknown> | undefined>;
  createEvent?(namespace: string, event: Record<string, unknown>): Promise<void>;
  patchEvent?(namespace: string, name: string, patch: Record<string, unknown>): Promise<void>;
}

const LIST_PATHS: Record<Kind, { path: string; kind: string; apiVersion: string }> = {
  Pod: { path: '/api/v1/pods', kind: 'Pod', apiVersion: 'v1' },
  Service: { path: '/api/v1/services', kind: 'Service', apiVersion: 'v1' },
  Endpoints: { path: '/api/v1/endpoints', kind: 'Endpoints', apiVersion: 'v1' },
  Node: { path: '/api/v1/nodes', kind: 'Node', apiVersion: 'v1' },
  Ingress: {
    path: '/apis/networking.k8s.io/v1/ingresses',
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
  },
  IngressClass: {
    path: '/apis/networking.k8s.io/v1/ingressclasses',
    kind: 'IngressClass',
    apiVersion: 'networking.k8s.io/v1',
  },
};

const PAGE_SIZE = 500;

export function createKubeApi(target: KubeApiTarget): KubeApi {
  return {
    async list(kind) {
      const { path, kind: itemKind, apiVersion } = LIST_PATHS[kind];
      const items: Record<string, unknown>[] = [];
      let resourceVersion: string | undefined;
      let continueToken: string | undefined;
      do {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (continueToken) query.set('continue', continueToken);
        const page = (await call(target, 'GET', `${path}?${query}`)) as {
          items?: Record<string, unknown>[];
          metadata?: { resourceVersion?: string; continue?: string };
        };
        // List items carry no kind/apiVersion on the wire; the schemas and events expect them.
        for (const item of page.items ?? []) items.push({ ...item, kind: itemKind, apiVersion });
        resourceVersion ??= page.metadata?.resourceVersion;
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
      return { items, resourceVersion };
    },

    async getObject(kind, namespace, name) {
      const { path, kind: itemKind, apiVersion } = LIST_PATHS[kind];
      // /api/v1/pods -> /api/v1/namespaces/<ns>/pods/<name>; cluster-scoped kinds keep the list path
      const slash = path.lastIndexOf('/');
      const base = CLUSTER_SCOPED.has(kind)
        ? path
        : `${path.slice(0, slash)}/namespaces/${encodeURIComponent(namespace ?? 'default')}${path.slice(slash)}`;
      try {
        const object = (await call(target, 'GET', `${base}/${encodeURIComponent(name)}`)) as Record<
          string,
          unknown
        >;
        return { ...object, kind: itemKind, apiVersion };
      } catch (error) {
        if (error instanceof Error && / answered 404: /.test(error.message)) return undefined;
        throw error;
      }
    },

    async getClusterObject(kind, name) {
      const base =
        kind === 'Namespace' ? '/api/v1/namespaces' : '/apis/elbv2.k8s.aws/v1beta1/ingressclassparams';
      try {
        return (await call(target, 'GET', `${base}/${encodeURIComponent(name)}`)) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof Error && / answered 404: /.test(error.message)) return undefined;
        throw error;
      }
    },

    async getSecret(namespace, name) {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
      let secret: { data?: Record<string, string> };
      try {
        secret = (await call(target, 'GET', path)) as { data?: Record<string, string> };
      } catch (error) {
        if (error instanceof SlbcError && / answered 404:/.test(error.message)) return undefined;
        throw error;
      }
      return Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      );
    },

    async patchStatus(kind, namespace, name, status) {
      const path =
        kind === 'Ingress'
          ? `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/ingresses/${encodeURIComponent(name)}/status`
          : `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}/status`;
      await call(target, 'PATCH', path, { status }, 'application/merge-patch+json');
    },

    async patchPodConditions(namespace, name, uid, conditions) {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/status`;
      await call(
        target,
        'PATCH',
        path,
        { ...(uid === undefined ? {} : { metadata: { uid } }), status: { conditions } },
        'application/strategic-merge-patch+json',
      );
    },

    async getEvent(namespace, name) {
      try {
        return (await call(target, 'GET', `${EVENTS(namespace)}/${encodeURIComponent(name)}`)) as Record<
          string,
          unknown
        >;
      } catch (error) {
        // a 404 (NotFoundError, or its message where the client maps it to SlbcError)
        if (error instanceof Error && / answered 404: /.test(error.message)) return undefined;
        throw error;
      }
    },

    async createEvent(namespace, event) {
      await call(target, 'POST', EVENTS(namespace), event);
    },

    async patchEvent(namespace, name, patch) {
      await call(
        target,
        'PATCH',
        `${EVENTS(namespace)}/${encodeURIComponent(name)}`,
        patch,
        'application/merge-patch+json',
      );
    },
  };
}

const EVENTS = (namespace: string) =>
  `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events`;

function call(
  target: KubeApiTarget,
  method: 'GET' | 'PATCH' | 'POST',
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<unknown> {
  const url = new URL(path, target.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const what = `Kubernetes API ${method} ${url.pathname}`;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': contentType }),
        },
        ...(target.caData ? { ca: Buffer.from(target.caData, 'base64').toString('utf8') } : {}),
        timeout: target.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(text === '' ? {} : JSON.parse(text));
            } catch (error) {
              reject(new RetryableError(`${what}: answer is not JSON`, { cause: error }));
            }
            return;
          }
          const message = `${what} answered ${status}: ${statusMessage(text)}`;
          // 429 and 5xx pass; a 401/403 means the access entry or RBAC is missing, which
          // retrying will not fix until an operator acts, so it is reported as such.
          reject(
            status === 429 || status >= 500
              ? new RetryableError(message)
              : status === 404
                ? new NotFoundError(message)
                : new SlbcError(message),
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) =>
      reject(new RetryableError(`${what} failed: ${error.message}`, { cause: error })),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function statusMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    return parsed.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
