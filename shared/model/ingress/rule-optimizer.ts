import type { Action, RuleCondition } from '../stack.js';

/**
 * The LBC's rule optimizer (pkg/ingress/rule_optimizer.go), kept for the v1 `actions.ssl-redirect`
 * idiom: per listener, drop a redirect rule that would redirect to itself, and drop rules that an
 * earlier redirect rule already catches.
 */

export interface OptimizableRule {
  conditions: RuleCondition[];
  actions: Action[];
}

interface Matches {
  hosts: string[];
  paths: string[];
  regexPaths: boolean;
  onlyHostAndPath: boolean;
}

function matchesOf(rule: OptimizableRule): Matches {
  const matches: Matches = { hosts: [], paths: [], regexPaths: false, onlyHostAndPath: true };
  for (const condition of rule.conditions) {
    if (condition.field === 'host-header') {
      matches.hosts.push(
        ...(condition.hostHeaderConfig.values ?? []),
        ...(condition.hostHeaderConfig.regexValues ?? []),
      );
    } else if (condition.field === 'path-pattern') {
      matches.paths.push(...(condition.pathPatternConfig.values ?? []));
      if ((condition.pathPatternConfig.regexValues ?? []).length > 0) {
        matches.regexPaths = true;
        matches.paths.push(...(condition.pathPatternConfig.regexValues ?? []));
      }
    } else {
      matches.onlyHostAndPath = false;
    }
  }
  return matches;
}

const redirectOf = (rule: OptimizableRule) => rule.actions.find((action) => action.type === 'redirect');

function isInfiniteRedirect(rule: OptimizableRule, port: number, protocol: string): boolean {
  const redirect = redirectOf(rule);
  if (redirect?.type !== 'redirect') return false;
  const matches = matchesOf(rule);
  if (matches.regexPaths) return false;
  const { host, path, port: toPort, protocol: toProtocol, query } = redirect.redirectConfig;
  const hostLoops = host === undefined || host === '#{host}' || matches.hosts.includes(host);
  const pathLoops = path === undefined || path === '/#{path}' || matches.paths.includes(path);
  const portLoops = toPort === undefined || toPort === '#{port}' || toPort === String(port);
  const protocolLoops = toProtocol === undefined || toProtocol === '#{protocol}' || toProtocol === protocol;
  const queryLoops = query === undefined || query === '#{query}';
  return hostLoops && pathLoops && portLoops && protocolLoops && queryLoops;
}

function isSuperset(earlier: Matches, later: Matches): boolean {
  if (!earlier.onlyHostAndPath) return false;
  const hosts =
    earlier.hosts.length === 0 ||
    (later.hosts.length > 0 && later.hosts.every((host) => earlier.hosts.includes(host)));
  const paths =
    earlier.paths.length === 0 ||
    earlier.paths.includes('/*') ||
    (later.paths.length > 0 && later.paths.every((path) => earlier.paths.includes(path)));
  return hosts && paths;
}

export function optimizeRules<T extends OptimizableRule>(
  rules: readonly T[],
  port: number,
  protocol: string,
): T[] {
  const kept: T[] = [];
  const keptRedirects: Matches[] = [];
  for (const rule of rules) {
    if (isInfiniteRedirect(rule, port, protocol)) continue;
    const matches = matchesOf(rule);
    if (keptRedirects.some((earlier) => isSuperset(earlier, matches))) continue;
    kept.push(rule);
    if (redirectOf(rule)) keptRedirects.push(matches);
  }
  return kept;
}
