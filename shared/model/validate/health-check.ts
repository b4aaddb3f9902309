import type { HealthCheckConfig } from '../stack.js';

/**
 * What ELBv2's CreateTargetGroup / ModifyTargetGroup refuse in a health check, checked before the
 * model emits it: a value AWS refuses would otherwise fail at deploy time and leave a half-built
 * stack. Ranges are the documented ones (CreateTargetGroup API reference). Each problem names the
 * setting it is about, so the caller can point at the annotation the user wrote.
 */

export type HealthCheckSetting =
  | 'port'
  | 'path'
  | 'matcher'
  | 'intervalSeconds'
  | 'timeoutSeconds'
  | 'healthyThresholdCount'
  | 'unhealthyThresholdCount';

export interface HealthCheckProblem {
  setting: HealthCheckSetting;
  message: string;
}

/** An ALB target group (HTTP/HTTPS, any protocol version) or an NLB one. */
export type LoadBalancerKind = 'application' | 'network';

const MAX_PATH = 1024;
/** printable ASCII without space: AWS refuses anything else in a health check path */
const PATH_CHARACTERS = /^[\x21-\x7e]+$/;

function range(
  setting: HealthCheckSetting,
  label: string,
  value: number,
  min: number,
  max: number,
): HealthCheckProblem | undefined {
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return { setting, message: `${label} must be within [${min}, ${max}]: ${value}` };
}

/**
 * A success-code matcher: a code, a comma list of codes, or a range `low-high`, every code within
 * [min, max]. Returns the problem, or undefined.
 */
export function matcherProblem(codes: string, min: number, max: number, label: string): string | undefined {
  const bad = `${label} must be a code, a comma-separated list of codes or a range "low-high", each within [${min}, ${max}]: ${JSON.stringify(codes)}`;
  const inRange = (text: string) => /^[0-9]{1,3}$/.test(text) && Number(text) >= min && Number(text) <= max;
  const rangeMatch = /^([0-9]+)-([0-9]+)$/.exec(codes);
  if (rangeMatch) {
    const [, low = '', high = ''] = rangeMatch;
    return inRange(low) && inRange(high) && Number(low) <= Number(high) ? undefined : bad;
  }
  const items = codes.split(',');
  return items.length > 0 && items.every(inRange) ? undefined : bad;
}

export function healthCheckProblems(config: HealthCheckConfig, kind: LoadBalancerKind): HealthCheckProblem[] {
  const problems: HealthCheckProblem[] = [];
  const push = (problem: HealthCheckProblem | undefined) => {
    if (problem) problems.push(problem);
  };
  if (config.port !== 'traffic-port') {
    push(range('port', 'health check port', config.port, 1, 65535));
  }
  if (config.protocol !== 'TCP' && config.path !== undefined) {
    const path = config.path;
    if (!path.startsWith('/')) {
      push({ setting: 'path', message: `health check path must start with "/": ${JSON.stringify(path)}` });
    } else if (path.length > MAX_PATH) {
      push({
        setting: 'path',
        message: `health check path must be at most ${MAX_PATH} characters: ${path.length}`,
      });
    } else if (!PATH_CHARACTERS.test(path)) {
      push({
        setting: 'path',
        message: `health check path may hold only printable ASCII characters without spaces: ${JSON.stringify(path)}`,
      });
    }
  }
  if (config.protocol !== 'TCP' && config.matcher !== undefined) {
    const problem =
      'grpcCode' in config.matcher
        ? matcherProblem(config.matcher.grpcCode, 0, 99, 'GRPC success codes')
        : kind === 'application'
          ? matcherProblem(config.matcher.httpCode, 200, 499, 'HTTP success codes')
          : matcherProblem(config.matcher.httpCode, 200, 599, 'HTTP success codes');
    if (problem) push({ setting: 'matcher', message: problem });
  }
  push(range('intervalSeconds', 'health check interval', config.intervalSeconds, 5, 300));
  push(range('timeoutSeconds', 'health check timeout', config.timeoutSeconds, 2, 120));
  // ALB: "the timeout must be smaller than the interval"; NLBs accept equal values (the LBC's 10/10)
  if (
    problems.every((problem) => problem.setting !== 'intervalSeconds' && problem.setting !== 'timeoutSeconds')
  ) {
    const tooLong =
      kind === 'application'
        ? config.timeoutSeconds >= config.intervalSeconds
        : config.timeoutSeconds > config.intervalSeconds;
    if (tooLong) {
      push({
        setting: 'timeoutSeconds',
        message: `health check timeout (${config.timeoutSeconds}) must be ${kind === 'application' ? 'smaller than' : 'at most'} the interval (${config.intervalSeconds})`,
      });
    }
  }
  push(range('healthyThresholdCount', 'healthy threshold count', config.healthyThresholdCount, 2, 10));
  push(range('unhealthyThresholdCount', 'unhealthy threshold count', config.unhealthyThresholdCount, 2, 10));
  return problems;
}
