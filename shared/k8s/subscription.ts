import { gunzipSync, gzipSync } from 'node:zlib';
import { InvalidInputError } from '../errors.js';
import * as z from '../zod.js';

/**
 * The CloudWatch Logs subscription payload a Lambda receives: `{"awslogs":{"data": ...}}`,
 * where data is base64(gzip(JSON)). Decoding is all-or-nothing: a payload that cannot be
 * decoded is thrown as InvalidInputError, so Lambda's async retries and its on-failure
 * destination keep it. Nothing in a corrupt payload is guessed at.
 */

const LogEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  timestamp: z.number(),
  message: z.string(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;

const PayloadSchema = z.object({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  // CloudWatch sends at least one event, but an empty batch is harmless: it publishes nothing.
  logEvents: z.array(LogEventSchema),
});
export type SubscriptionPayload = z.infer<typeof PayloadSchema>;

/**
 * CloudWatch Logs' reachability check: owner "CloudwatchLogs", empty log group and stream, and
 * one log event whose `id` is "" (e.g. "CWL CONTROL MESSAGE: Checking health of destination").
 * It carries no data, so only its type is required; what it holds is never read.
 */
const ControlPayloadSchema = z.object({
  messageType: z.literal('CONTROL_MESSAGE'),
  owner: z.optional(z.string()),
  logGroup: z.optional(z.string()),
  logStream: z.optional(z.string()),
  subscriptionFilters: z.optional(z.array(z.string())),
  logEvents: z.optional(
    z.array(
      z.object({
        id: z.optional(z.string()),
        timestamp: z.optional(z.number()),
        message: z.optional(z.string()),
      }),
    ),
  ),
});

function controlPayload(decoded: unknown): SubscriptionPayload | undefined {
  const control = ControlPayloadSchema.safeParse(decoded);
  if (!control.success) return undefined;
  const { owner = '', logGroup = '', logStream = '', subscriptionFilters = [] } = control.data;
  // its log events are dropped: a control message's `id` is "", and nothing in it is audit data
  return { messageType: 'CONTROL_MESSAGE', owner, logGroup, logStream, subscriptionFilters, logEvents: [] };
}

const EnvelopeSchema = z.object({ awslogs: z.object({ data: z.string().check(z.minLength(1)) }) });

const PAYLOAD_SUBJECT = 'CloudWatchLogsPayload';
// Strict base64: Buffer.from(x, 'base64') silently skips characters outside the alphabet.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(message: string, field: string, cause?: unknown): InvalidInputError {
  return new InvalidInputError(`CloudWatch Logs payload: ${message}`, {
    cause,
    subject: { kind: PAYLOAD_SUBJECT, name: 'awslogs', field },
  });
}

/** Decodes a Lambda event from a subscription filter; throws InvalidInputError naming what is wrong. */
export function decodeSubscriptionEvent(event: unknown): SubscriptionPayload {
  const envelope = EnvelopeSchema.safeParse(event);
  if (!envelope.success) {
    throw invalid('the event is not {"awslogs":{"data":"<base64>"}}', 'awslogs.data', envelope.error);
  }
  const data = envelope.data.awslogs.data;
  if (data.length % 4 !== 0 || !BASE64.test(data)) {
    throw invalid('awslogs.data is not valid base64', 'awslogs.data');
  }
  let json: string;
  try {
    json = gunzipSync(Buffer.from(data, 'base64')).toString('utf8');
  } catch (error) {
    throw invalid(
      `awslogs.data is not gzip (or is truncated): ${(error as Error).message}`,
      'awslogs.data',
      error,
    );
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(json);
  } catch (error) {
    throw invalid('the decompressed data is not JSON', 'awslogs.data', error);
  }
  const control = controlPayload(decoded);
  if (control !== undefined) return control;
  const payload = PayloadSchema.safeParse(decoded);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    throw invalid(`field ${field || '(root)'}: ${issue?.message}`, field, payload.error);
  }
  return payload.data;
}

const EKS_LOG_GROUP = /^\/aws\/eks\/([^/]+)\/cluster$/;

/** The EKS cluster a log group belongs to (`/aws/eks/<cluster>/cluster`), or an InvalidInputError. */
export function clusterOfLogGroup(logGroup: string): string {
  const match = EKS_LOG_GROUP.exec(logGroup);
  if (match?.[1] === undefined) {
    throw invalid(
      `log group "${logGroup}" is not an EKS cluster log group /aws/eks/<cluster>/cluster`,
      'logGroup',
    );
  }
  return match[1];
}

/** Builds the Lambda event for a payload: the inverse of decodeSubscriptionEvent (tests, local cluster). */
export function encodeSubscriptionEvent(payload: SubscriptionPayload): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}
