import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig } from '../client-config.js';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: EventBridgeClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function eventsClient(): EventBridgeClient {
  client ??= new EventBridgeClient(clientConfig());
  return client;
}
