import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../client-config.js';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: DynamoDBClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function dynamodbClient(): DynamoDBClient {
  client ??= new DynamoDBClient(clientConfig());
  return client;
}
