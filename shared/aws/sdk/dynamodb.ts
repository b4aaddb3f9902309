import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: DynamoDBClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function dynamodbClient(): DynamoDBClient {
  client ??= new DynamoDBClient(clientConfig());
  return client;
}
