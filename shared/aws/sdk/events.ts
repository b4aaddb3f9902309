import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig } from '../client-config.js';

// One module per client: the SDK is external to the bundles, and an external import is kept
// even when unused, so a handler must import only the client modules it calls.
let client: EventBridgeClient | undefined;

/** The process-wide client, created on first use and reused while Lambda keeps the process. */
export function eventsClient(): EventBridgeClient {
  client ??= new EventBridgeClient(clientConfig());
  return client;
}
