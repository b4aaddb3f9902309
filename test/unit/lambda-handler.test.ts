import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { correlationOf, lambdaHandler } from '../../shared/lambda-handler.js';
import { logger, metrics } from '../../shared/observability.js';

describe('correlationOf', () => {
  it.each([
    [
      'a cluster change: the audit event id follows it',
      { id: 'ev-1', detail: { cluster: 'demo', auditId: '5e1f-audit' } },
      { cluster: 'demo', correlationId: '5e1f-audit', eventId: 'ev-1' },
    ],
    [
      "slbc's own event (Target Group Bound): its bus event id",
      { id: 'ev-2', detail: { cluster: 'demo', targetGroupArn: 'arn' } },
      { cluster: 'demo', correlationId: 'ev-2', eventId: 'ev-2' },
    ],
    ['no detail (a schedule input)', { clusters: ['demo'] }, {}],
    ['not an object', 'text', {}],
    [
      'an empty cluster is left out',
      { id: 'ev-3', detail: { cluster: '' } },
      { correlationId: 'ev-3', eventId: 'ev-3' },
    ],
  ])('%s', (_name, event, expected) => {
    expect(correlationOf(event)).toEqual(expected);
  });
});

describe('lambdaHandler', () => {
  it('logs carry the correlation keys during the invocation only; metrics get a cluster dimension set and keep {service}', async () => {
    const appended = vi.spyOn(logger, 'appendKeys');
    const removed = vi.spyOn(logger, 'removeKeys');
    let removedDuring = 0;
    let dimensions: unknown;
    const handler = lambdaHandler(
      () => ({}),
      async () => {
        removedDuring = removed.mock.calls.length;
        metrics.addMetric('TestMetric', MetricUnit.Count, 1);
        dimensions = (
          metrics.serializeMetrics() as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } }
        )._aws.CloudWatchMetrics[0]?.Dimensions;
        metrics.clearMetrics();
        return 'ok';
      },
    );
    const result = await handler({ id: 'ev-1', detail: { cluster: 'demo', auditId: 'a-1' } }, {
      functionName: 'f',
      awsRequestId: 'r',
    } as Context);
    expect(result).toBe('ok');
    expect(appended).toHaveBeenCalledWith({ cluster: 'demo', correlationId: 'a-1', eventId: 'ev-1' });
    expect(removedDuring).toBe(0);
    expect(removed).toHaveBeenCalledWith(['cluster', 'correlationId', 'eventId']);
    expect(dimensions).toEqual([['service', 'cluster'], ['service']]);
  });
});
