/**
 * URL → resource for the Kubernetes API paths the simulator serves:
 *   /api/v1/<plural>[/<name>[/status]]
 *   /api/v1/namespaces/<ns>/<plural>[/<name>[/status]]
 *   /apis/<group>/<version>/... the same shapes
 * Namespaces themselves are /api/v1/namespaces[/<name>].
 */
import { RESOURCES_BY_PLURAL, type ResourceInfo } from '../objects.js';

export interface ResourceRoute {
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type RouteResult = { ok: true; route: ResourceRoute } | { ok: false; reason: string };

export function routeResource(pathname: string): RouteResult | undefined {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else return undefined;

  let namespace: string | undefined;
  // /namespaces/<ns>/<plural>... is a namespaced path; /namespaces[/<name>] is the Namespace resource.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (plural === undefined || extra.length > 0) return { ok: false, reason: `unknown path ${pathname}` };
  const resource = RESOURCES_BY_PLURAL.get(plural);
  if (!resource || resource.group !== group || resource.version !== version)
    return { ok: false, reason: `the server could not find the requested resource (${pathname})` };
  if (namespace !== undefined && !resource.namespaced)
    return { ok: false, reason: `${plural} is not a namespaced resource` };
  return {
    ok: true,
    route: {
      resource,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
    },
  };
}

/** Equality-based label selectors: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-separated. */
export function parseLabelSelector(
  selector: string,
): (labels: Record<string, string> | undefined) => boolean {
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((term) => {
      const notEqual = /^([^!=]+)!=(.*)$/.exec(term);
      if (notEqual) return (l: Record<string, string>) => l[notEqual[1] as string] !== notEqual[2];
      const equal = /^([^!=]+)==?(.*)$/.exec(term);
      if (equal) return (l: Record<string, string>) => l[equal[1] as string] === equal[2];
      if (term.startsWith('!')) return (l: Record<string, string>) => !(term.slice(1) in l);
      if (/^[A-Za-z0-9._/-]+$/.test(term)) return (l: Record<string, string>) => term in l;
      throw new Error(`unsupported label selector term "${term}"`);
    });
  return (labels) => terms.every((match) => match(labels ?? {}));
}
