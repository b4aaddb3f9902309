import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { clientConfig } from '../client-config.js';

// One module per client, so a handler loads only the clients it imports: functions/*/deps.ts
// imports the rarely called ones with import(), which esbuild splits into chunks of their own.
let client: WAFV2Client | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function wafv2Client(): WAFV2Client {
  client ??= new WAFV2Client(clientConfig());
  return client;
}
