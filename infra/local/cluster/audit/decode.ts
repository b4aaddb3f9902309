/** The inverse of delivery, for tests and tools: `{"awslogs":{"data"}}` → the decoded payload. */
import { gunzipSync } from 'node:zlib';
import type { SubscriptionLambdaEvent, SubscriptionPayload } from './delivery.js';

export function decodeSubscriptionEvent(event: SubscriptionLambdaEvent): SubscriptionPayload {
  return JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  ) as SubscriptionPayload;
}
