import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: SQSClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function sqsClient(): SQSClient {
  client ??= new SQSClient(clientConfig());
  return client;
}
