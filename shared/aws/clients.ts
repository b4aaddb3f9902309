import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/**
 * The SDK clients. The SDK reads AWS_ENDPOINT_URL itself, so the same code reaches AWS or the
 * local endpoint. Adaptive retry backs off on Throttling, which ELBv2 answers under load.
 *
 * Handlers take each client from its own function (`eventsClient()`, ...), created once per
 * process and reused while Lambda keeps it warm. One function per client, not one object with
 * all five, so a function's bundle imports only the clients it calls: the EC2 client alone
 * costs more to load than the rest of the ingest function.
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

export function clientConfig(options: ClientOptions = {}) {
  return {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
  };
}

/** All five clients, for tests and the local runtime. */
export function createClients(options: ClientOptions = {}): AwsClients {
  const config = clientConfig(options);
  return {
    elbv2: new ElasticLoadBalancingV2Client(config),
    ec2: new EC2Client(config),
    eks: new EKSClient(config),
    events: new EventBridgeClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

let elbv2: ElasticLoadBalancingV2Client | undefined;
let ec2: EC2Client | undefined;
let eks: EKSClient | undefined;
let events: EventBridgeClient | undefined;
let dynamodb: DynamoDBClient | undefined;

export function elbv2Client(): ElasticLoadBalancingV2Client {
  elbv2 ??= new ElasticLoadBalancingV2Client(clientConfig());
  return elbv2;
}

export function ec2Client(): EC2Client {
  ec2 ??= new EC2Client(clientConfig());
  return ec2;
}

export function eksClient(): EKSClient {
  eks ??= new EKSClient(clientConfig());
  return eks;
}

export function eventsClient(): EventBridgeClient {
  events ??= new EventBridgeClient(clientConfig());
  return events;
}

export function dynamodbClient(): DynamoDBClient {
  dynamodb ??= new DynamoDBClient(clientConfig());
  return dynamodb;
}

/** Every client, each created on first use. Prefer the single-client functions in handlers. */
export function defaultClients(): AwsClients {
  return {
    get elbv2() {
      return elbv2Client();
    },
    get ec2() {
      return ec2Client();
    },
    get eks() {
      return eksClient();
    },
    get events() {
      return eventsClient();
    },
    get dynamodb() {
      return dynamodbClient();
    },
  };
}
