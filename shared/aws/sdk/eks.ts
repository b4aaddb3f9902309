import { EKSClient } from '@aws-sdk/client-eks';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: EKSClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function eksClient(): EKSClient {
  client ??= new EKSClient(clientConfig());
  return client;
}
