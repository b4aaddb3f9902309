/**
 * Wraps raw audit events (a scenario's `audit` step) into the CloudWatch Logs subscription
 * event ingest receives, as EKS's log group would deliver them.
 */
import { gzipSync } from 'node:zlib';

export interface AuditPayloadOptions {
  clusterName: string;
  account: string;
  /** epoch ms of delivery; log event timestamps fall back to it */
  now: number;
  /** distinguishes the log event IDs of two steps */
  sequence: number;
}

export function auditSubscriptionEvent(lines: readonly unknown[], options: AuditPayloadOptions) {
  const logEvents = lines.map((line, i) => {
    const stamp = (line as { stageTimestamp?: unknown }).stageTimestamp;
    const parsed = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
    const timestamp = Number.isNaN(parsed) ? options.now : parsed;
    return {
      // 56 decimal digits, as CloudWatch Logs IDs are: time, step, line
      id: `${String(timestamp).padStart(20, '0')}${String(options.sequence).padStart(18, '0')}${String(i).padStart(18, '0')}`,
      timestamp,
      message: JSON.stringify(line),
    };
  });
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: options.account,
    logGroup: `/aws/eks/${options.clusterName}/cluster`,
    logStream: 'kube-apiserver-audit-scenario',
    subscriptionFilters: ['slbc-audit'],
    logEvents,
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}
