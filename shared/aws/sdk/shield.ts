import { ShieldClient } from '@aws-sdk/client-shield';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: ShieldClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function shieldClient(): ShieldClient {
  client ??= new ShieldClient(clientConfig());
  return client;
}
