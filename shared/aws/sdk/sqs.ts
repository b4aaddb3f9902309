import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../client-config.js';

// the one command slbc sends; recheck-queue.ts takes it from here with import() on first send,
// so a targets cold start compiles no SQS code and the bundle keeps this command alone
export { SendMessageCommand } from '@aws-sdk/client-sqs';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: SQSClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function sqsClient(): SQSClient {
  client ??= new SQSClient(clientConfig());
  return client;
}
