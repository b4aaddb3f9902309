import { ShieldClient } from '@aws-sdk/client-shield';
import { clientConfig } from '../client-config.js';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: ShieldClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function shieldClient(): ShieldClient {
  client ??= new ShieldClient(clientConfig());
  return client;
}
