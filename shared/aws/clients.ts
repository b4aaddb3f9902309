import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ShieldClient } from '@aws-sdk/client-shield';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { type ClientOptions, clientConfig } from './client-config.js';

/**
 * All the SDK clients at once, for tests, the local runtime and the CLI. Handlers do not import
 * this module: each takes its clients from `shared/aws/sdk/<client>.ts`, so its bundle loads
 * only the SDK packages it calls.
 */
export interface AwsClients {
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  eks: EKSClient;
  events: EventBridgeClient;
  dynamodb: DynamoDBClient;
  wafv2: WAFV2Client;
  shield: ShieldClient;
}

export type { ClientOptions } from './client-config.js';
export { clientConfig } from './client-config.js';

export function createClients(options: ClientOptions = {}): AwsClients {
  const config = clientConfig(options);
  return {
    elbv2: new ElasticLoadBalancingV2Client(config),
    ec2: new EC2Client(config),
    eks: new EKSClient(config),
    events: new EventBridgeClient(config),
    dynamodb: new DynamoDBClient(config),
    wafv2: new WAFV2Client(config),
    shield: new ShieldClient(config),
  };
}
