/**
 * A target group's health check settings: AWS's defaults per protocol and target type
 * (CreateTargetGroup reference), and the checks AWS applies to each field. Create starts from
 * the defaults; Modify starts from the current settings, so absent fields stay unchanged.
 */
import {
  type Input,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalString,
  record,
  validationError,
} from './input.js';
import type { HealthCheck, TargetType } from './state.js';

export interface HealthCheckOwner {
  name: string;
  protocol: string | undefined;
  protocolVersion: string | undefined;
  targetType: TargetType;
}

const isHttp = (protocol: string | undefined) => protocol === 'HTTP' || protocol === 'HTTPS';

export function defaultHealthCheck(owner: HealthCheckOwner, protocol: string | undefined): HealthCheck {
  const lambda = owner.targetType === 'lambda';
  const grpc = owner.protocolVersion === 'GRPC';
  const applicationGroup = isHttp(owner.protocol);
  return {
    enabled: !lambda,
    protocol: lambda ? 'HTTP' : protocol,
    port: 'traffic-port',
    path: isHttp(protocol) || lambda ? (grpc ? '/AWS.ALB/healthcheck' : '/') : undefined,
    intervalSeconds: lambda ? 35 : 30,
    timeoutSeconds: lambda ? 30 : owner.protocol === 'HTTP' ? 6 : 10,
    healthyThreshold: 5,
    unhealthyThreshold: lambda ? 5 : 2,
    matcher: !(isHttp(protocol) || lambda)
      ? undefined
      : grpc
        ? { GrpcCode: '12' }
        : { HttpCode: applicationGroup || lambda ? '200' : '200-399' },
  };
}

/** e.g. `200`, `200,302`, `200-299`; within AWS's range for the group's protocol */
function checkHttpCodes(codes: string, owner: HealthCheckOwner): void {
  const [low, high] = isHttp(owner.protocol) || owner.targetType === 'lambda' ? [200, 499] : [200, 599];
  const valid = codes.split(',').every((part) => {
    const range = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    if (!range) return false;
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    return from >= low && to <= high && from <= to;
  });
  if (!valid)
    validationError(
      `Health check matcher HTTP code '${codes}' of target group '${owner.name}' must be within ${low}-${high}`,
    );
}

export function parseHealthCheck(
  input: Input,
  owner: HealthCheckOwner,
  base: HealthCheck | undefined,
): HealthCheck {
  const network = owner.protocol !== undefined && !isHttp(owner.protocol);
  const allowedProtocols = network ? (['TCP', 'HTTP', 'HTTPS'] as const) : (['HTTP', 'HTTPS'] as const);
  const protocol = optionalEnum(input, 'HealthCheckProtocol', allowedProtocols as readonly string[]);
  const start = base ?? defaultHealthCheck(owner, protocol ?? (network ? 'TCP' : 'HTTP'));
  const check: HealthCheck = { ...start, matcher: start.matcher && { ...start.matcher } };
  if (protocol !== undefined && protocol !== check.protocol) {
    // switching protocol re-derives path and matcher defaults for the new protocol
    const defaults = defaultHealthCheck(owner, protocol);
    check.protocol = protocol;
    check.path = defaults.path;
    check.matcher = defaults.matcher;
  }

  const enabled = optionalBool(input, 'HealthCheckEnabled');
  if (enabled === false && owner.targetType !== 'lambda')
    validationError(
      `Health checks cannot be disabled for target group '${owner.name}' with target type '${owner.targetType}'`,
    );
  if (enabled !== undefined) check.enabled = enabled;

  const port = optionalString(input, 'HealthCheckPort');
  if (port !== undefined) {
    if (port !== 'traffic-port' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
      validationError(
        `HealthCheckPort '${port}' of target group '${owner.name}' must be 'traffic-port' or 1-65535`,
      );
    check.port = port;
  }

  const path = optionalString(input, 'HealthCheckPath');
  if (path !== undefined) {
    if (!isHttp(check.protocol))
      validationError(
        `HealthCheckPath of target group '${owner.name}' requires an HTTP or HTTPS health check`,
      );
    if (!path.startsWith('/') || path.length > 1024)
      validationError(
        `HealthCheckPath '${path}' of target group '${owner.name}' must start with '/' (at most 1024 characters)`,
      );
    check.path = path;
  }

  check.intervalSeconds =
    optionalInt(input, 'HealthCheckIntervalSeconds', { min: 5, max: 300 }) ?? check.intervalSeconds;
  check.timeoutSeconds =
    optionalInt(input, 'HealthCheckTimeoutSeconds', { min: 2, max: 120 }) ?? check.timeoutSeconds;
  check.healthyThreshold =
    optionalInt(input, 'HealthyThresholdCount', { min: 2, max: 10 }) ?? check.healthyThreshold;
  check.unhealthyThreshold =
    optionalInt(input, 'UnhealthyThresholdCount', { min: 2, max: 10 }) ?? check.unhealthyThreshold;
  // Application groups need the timeout strictly below the interval. Network groups (TCP,
  // TLS, UDP) accept an equal one: the LBC's NLB default is 10 s for both, and AWS takes it.
  if (network ? check.timeoutSeconds > check.intervalSeconds : check.timeoutSeconds >= check.intervalSeconds)
    validationError(
      `Health check timeout (${check.timeoutSeconds}) of target group '${owner.name}' must be ${network ? 'at most' : 'smaller than'} the interval (${check.intervalSeconds})`,
    );

  const matcher = record(input, 'Matcher');
  if (matcher) {
    if (!isHttp(check.protocol))
      validationError(`Matcher of target group '${owner.name}' requires an HTTP or HTTPS health check`);
    const httpCode = optionalString(matcher, 'HttpCode', 'Matcher.HttpCode');
    const grpcCode = optionalString(matcher, 'GrpcCode', 'Matcher.GrpcCode');
    if ((httpCode !== undefined) === (grpcCode !== undefined))
      validationError(`Matcher of target group '${owner.name}' needs exactly one of HttpCode and GrpcCode`);
    if (grpcCode !== undefined && owner.protocolVersion !== 'GRPC')
      validationError(`Matcher.GrpcCode of target group '${owner.name}' requires protocol version GRPC`);
    if (httpCode !== undefined) checkHttpCodes(httpCode, owner);
    check.matcher = httpCode !== undefined ? { HttpCode: httpCode } : { GrpcCode: grpcCode! };
  }
  return check;
}

export function describeHealthCheck(check: HealthCheck) {
  return {
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    HealthCheckPath: check.path,
    Matcher: check.matcher,
  };
}
