/**
 * Settings every SDK client shares. The SDK reads AWS_ENDPOINT_URL itself, so the same code
 * reaches AWS or the local endpoint; adaptive retry backs off on Throttling, which ELBv2
 * answers under load.
 */
export interface ClientOptions {
  region?: string;
  /** overrides AWS_ENDPOINT_URL; tests pass the local endpoint's URL */
  endpoint?: string;
  maxAttempts?: number;
}

export function clientConfig(options: ClientOptions = {}) {
  return {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
  };
}
