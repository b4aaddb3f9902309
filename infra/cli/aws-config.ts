/**
 * SDK client settings for the commands that talk to AWS: the shared retry settings, plus what
 * the command line chose (args.ts awsTarget). What is unset is left to the SDK's own chain
 * (AWS_REGION, the profile's region, AWS_ENDPOINT_URL, every credential source).
 */
import { clientConfig } from '../../shared/aws/client-config.js';
import type { AwsTarget } from './args.js';

export function sdkConfig(target: AwsTarget, options: { maxAttempts?: number } = {}) {
  return {
    ...clientConfig({
      ...(target.region === undefined ? {} : { region: target.region }),
      ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    }),
    ...(target.profile === undefined ? {} : { profile: target.profile }),
  };
}

/** "region eu-west-1 (AWS_REGION)"-style note of what a command uses, for stderr */
export function describeTarget(target: AwsTarget, env: Readonly<Record<string, string | undefined>>): string {
  const endpoint = target.endpoint ?? env['AWS_ENDPOINT_URL'];
  const region = target.region ?? "the profile's region";
  const profile = target.profile ?? env['AWS_PROFILE'];
  return [`region ${region}`, profile ? `profile ${profile}` : '', endpoint ? `endpoint ${endpoint}` : '']
    .filter((part) => part !== '')
    .join(', ');
}
