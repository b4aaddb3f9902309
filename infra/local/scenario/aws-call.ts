/**
 * The `aws` step: one AWS call made as a third party would make it (the real SDK client, its
 * own credentials) against the local endpoint, so a scenario can put foreign resources in the
 * account or change them behind slbc's back. The action is checked against the SDK's commands
 * when the scenario is read; the call's output (without $metadata) goes into the step's record.
 */
import * as ec2 from '@aws-sdk/client-ec2';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import * as shield from '@aws-sdk/client-shield';
import * as wafv2 from '@aws-sdk/client-wafv2';

type SdkModule = Record<string, unknown>;
type Sendable = { send(command: unknown): Promise<unknown>; destroy(): void };
type ClientClass = new (config: Record<string, unknown>) => Sendable;
type CommandClass = new (input: unknown) => unknown;

const SERVICES = {
  elbv2: { module: elbv2 as SdkModule, client: 'ElasticLoadBalancingV2Client' },
  ec2: { module: ec2 as SdkModule, client: 'EC2Client' },
  eventbridge: { module: eventbridge as SdkModule, client: 'EventBridgeClient' },
  wafv2: { module: wafv2 as SdkModule, client: 'WAFV2Client' },
  shield: { module: shield as SdkModule, client: 'ShieldClient' },
} as const;

export type AwsService = keyof typeof SERVICES;
export const AWS_SERVICES = Object.keys(SERVICES) as AwsService[];

export interface AwsCall {
  service: AwsService;
  /** the API action, e.g. CreateLoadBalancer */
  action: string;
  input: Record<string, unknown>;
  /** the error code the call must fail with (the step fails if it succeeds, or fails otherwise) */
  expectError?: string;
}

/** What the step's report record holds. */
export interface AwsCallRecord {
  service: AwsService;
  action: string;
  /** the SDK's output without $metadata, when the call succeeded */
  output?: unknown;
  /** the error's code and message, when it failed as expected */
  error?: { code: string; message: string };
}

/** undefined when the service's SDK client has the action; otherwise why not */
export function unknownAction(service: AwsService, action: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(action))
    return `"${action}" is not an API action name (like CreateLoadBalancer)`;
  const command = SERVICES[service].module[`${action}Command`];
  return typeof command === 'function' ? undefined : `${service} has no action ${action}`;
}

export class AwsCallFailed extends Error {
  override readonly name = 'AwsCallFailed';
}

export async function makeAwsCall(
  call: AwsCall,
  target: { endpoint: string; region: string },
): Promise<AwsCallRecord> {
  const { module, client: clientName } = SERVICES[call.service];
  const Client = module[clientName] as ClientClass;
  const Command = module[`${call.action}Command`] as CommandClass;
  const client = new Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: { accessKeyId: 'third-party', secretAccessKey: 'third-party' },
    maxAttempts: 1,
  });
  try {
    let output: unknown;
    try {
      output = await client.send(new Command(call.input));
    } catch (error) {
      const code = errorCode(error);
      const message = error instanceof Error ? error.message : String(error);
      if (call.expectError === undefined)
        throw new AwsCallFailed(`${call.service} ${call.action} failed: ${code}: ${message}`);
      if (code !== call.expectError)
        throw new AwsCallFailed(
          `${call.service} ${call.action} failed with ${code} (${message}), expected ${call.expectError}`,
        );
      return { service: call.service, action: call.action, error: { code, message } };
    }
    if (call.expectError !== undefined)
      throw new AwsCallFailed(
        `${call.service} ${call.action} succeeded, expected the error ${call.expectError}`,
      );
    const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
    return { service: call.service, action: call.action, output: plain(rest) };
  } finally {
    client.destroy();
  }
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const { Code, code, name } = error as { Code?: unknown; code?: unknown; name?: unknown };
  for (const candidate of [Code, code, name])
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  return 'Error';
}

/** Dates as ISO strings, nothing the JSON report cannot hold */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
