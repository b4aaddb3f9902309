import type { HTTPIngressPath } from '../../k8s/objects.js';

/**
 * Ingress paths to ALB path-pattern values, and the order paths become rules in, as the LBC
 * (pkg/ingress/model_build_listener_rules.go). Errors are the LBC's strings.
 */

export type PathPatterns = { values: string[]; regexValues: string[] } | { error: string };

const WILDCARDS = /[*?]/;

export function buildPathPatterns(
  path: string,
  pathType: string | undefined,
  useRegex: boolean,
): PathPatterns {
  switch (pathType ?? 'ImplementationSpecific') {
    case 'ImplementationSpecific':
      // the leading '/' is the Ingress API's requirement, not part of the regex
      return useRegex ? { values: [], regexValues: [path.slice(1)] } : { values: [path], regexValues: [] };
    case 'Exact':
      if (WILDCARDS.test(path)) return { error: `exact path shouldn't contain wildcards: ${path}` };
      return { values: [path], regexValues: [] };
    case 'Prefix': {
      if (WILDCARDS.test(path)) return { error: `prefix path shouldn't contain wildcards: ${path}` };
      if (path === '/') return { values: ['/*'], regexValues: [] };
      const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
      return { values: [trimmed, `${trimmed}/*`], regexValues: [] };
    }
    default:
      return { error: `unsupported pathType: ${pathType}` };
  }
}

/**
 * Exact paths first (manifest order), then Prefix paths longest first (a stable sort, so equal
 * lengths keep manifest order), then ImplementationSpecific and unset (manifest order).
 */
export function sortIngressPaths<T extends Pick<HTTPIngressPath, 'path' | 'pathType'>>(
  paths: readonly T[],
): { paths: T[] } | { error: string } {
  const exact: T[] = [];
  const prefix: T[] = [];
  const implementationSpecific: T[] = [];
  for (const path of paths) {
    switch (path.pathType) {
      case 'Exact':
        exact.push(path);
        break;
      case 'Prefix':
        prefix.push(path);
        break;
      case undefined:
      case 'ImplementationSpecific':
        implementationSpecific.push(path);
        break;
      default:
        return { error: `unknown pathType for path ${path.path ?? ''}` };
    }
  }
  prefix.sort((a, b) => (b.path ?? '').length - (a.path ?? '').length);
  return { paths: [...exact, ...prefix, ...implementationSpecific] };
}
