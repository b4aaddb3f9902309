import { EKSClient } from '@aws-sdk/client-eks';
import { clientConfig } from '../client-config.js';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: EKSClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function eksClient(): EKSClient {
  client ??= new EKSClient(clientConfig());
  return client;
}
