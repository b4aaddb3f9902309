import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../client-config.js';

// the one command slbc sends; recheck-queue.ts takes it from here with import() on first send,
// so a targets cold start compiles no SQS code and the bundle keeps this command alone
export { SendMessageCommand } from '@aws-sdk/client-sqs';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: SQSClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function sqsClient(): SQSClient {
  client ??= new SQSClient(clientConfig());
  return client;
}
