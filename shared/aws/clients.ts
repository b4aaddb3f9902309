import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/**
 * The SDK clients, created once per process and reused across invocations (Lambda keeps the
 * process warm). The SDK reads AWS_ENDPOINT_URL itself, so the same code reaches AWS or the
 * local endpoint. Adaptive retry backs off on Throttling, which ELBv2 answers under load.
 */
export interface AwsClients {
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  eks: EKSClient;
  events: EventBridgeClient;
  dynamodb: DynamoDBClient;
}

export interface ClientOptions {
  region?: string;
  /** overrides AWS_ENDPOINT_URL; tests pass the local endpoint's URL */
  endpoint?: string;
  maxAttempts?: number;
}

export function createClients(options: ClientOptions = {}): AwsClients {
  const common = {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
  };
  return {
    elbv2: new ElasticLoadBalancingV2Client(common),
    ec2: new EC2Client(common),
    eks: new EKSClient(common),
    events: new EventBridgeClient(common),
    dynamodb: new DynamoDBClient(common),
  };
}

let shared: AwsClients | undefined;

/** The process-wide clients for handlers. */
export function defaultClients(): AwsClients {
  shared ??= createClients();
  return shared;
}
