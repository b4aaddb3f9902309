import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: WAFV2Client | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function wafv2Client(): WAFV2Client {
  client ??= new WAFV2Client(clientConfig());
  return client;
}
