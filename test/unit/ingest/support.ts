import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestBatch } from '../../../shared/events/audit-ingest.js';
import type { ClusterChangeDetail } from '../../../shared/events/contract.js';
import { encodeSubscriptionEvent, type SubscriptionPayload } from '../../../shared/k8s/subscription.js';

/** Builders shared by the ingest tests: fixtures, audit lines and subscription payloads. */

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/eks-audit');

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

export const CLUSTER = 'demo';
export const LOG_GROUP = `/aws/eks/${CLUSTER}/cluster`;

let sequence = 0;
/** A log event whose message is the given audit event (compact JSON, as EKS writes it). */
export function logEvent(message: unknown, id?: string) {
  sequence += 1;
  return {
    id: id ?? `3795310660696698337880902507980421114328961542429822${String(sequence).padStart(4, '0')}`,
    timestamp: 1748078984887,
    message: typeof message === 'string' ? message : JSON.stringify(message),
  };
}

export function payload(
  messages: unknown[],
  overrides: Partial<SubscriptionPayload> = {},
): SubscriptionPayload {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: LOG_GROUP,
    logStream: 'kube-apiserver-audit-1234567890abcdef01234567890abcde',
    subscriptionFilters: ['slbc-ingest'],
    logEvents: messages.map((message) => logEvent(message)),
    ...overrides,
  };
}

export function lambdaEvent(messages: unknown[], overrides: Partial<SubscriptionPayload> = {}) {
  return encodeSubscriptionEvent(payload(messages, overrides));
}

/** A successful audit event; override any field, `undefined` removes it. */
export function auditEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `a-${Math.random().toString(16).slice(2)}`,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/services/api',
    verb: 'update',
    user: { username: 'jane', groups: ['system:authenticated'] },
    objectRef: { resource: 'services', namespace: 'default', name: 'api', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    responseObject: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'api', namespace: 'default', uid: 'svc-uid-1', resourceVersion: '100' },
      spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    requestReceivedTimestamp: '2026-11-26T10:00:00.000000Z',
    stageTimestamp: '2026-11-26T10:00:00.010000Z',
  };
  const merged = { ...base, ...overrides };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** What a batch amounts to, in a form a table can state exactly. */
export function outcome(batch: IngestBatch) {
  const dropped = Object.fromEntries(Object.entries(batch.report.dropped).filter(([, count]) => count > 0));
  return {
    kept: batch.report.kept,
    dropped,
    malformed: batch.report.malformed.map((problem) => problem.field ?? 'message'),
    refused: batch.report.refused,
    duplicates: batch.report.duplicates,
    resync: batch.report.resync.length,
  };
}

export function details(batch: IngestBatch): ClusterChangeDetail[] {
  return batch.entries.map((entry) => JSON.parse(entry.detail) as ClusterChangeDetail);
}
