import { describe, expect, it } from 'vitest';
import { mergeStatus, statusOfPatch, trimPodStatusPatch } from '../../../shared/k8s/patch.js';

describe('mergeStatus (strategic merge of a pod status patch)', () => {
  const cases = [
    {
      name: 'conditions merge by type, others kept',
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
      patch: { conditions: [{ type: 'Ready', status: 'True' }] },
      want: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    },
    {
      name: 'a new condition type is appended',
      status: { conditions: [{ type: 'PodScheduled', status: 'True' }] },
      patch: { conditions: [{ type: 'Ready', status: 'True' }] },
      want: {
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
      },
    },
    {
      name: '$setElementOrder orders the list',
      status: {
        conditions: [
          { type: 'B', status: 'True' },
          { type: 'A', status: 'True' },
        ],
      },
      patch: {
        '$setElementOrder/conditions': [{ type: 'A' }, { type: 'B' }],
        conditions: [{ type: 'B', status: 'False' }],
      },
      want: {
        conditions: [
          { type: 'A', status: 'True' },
          { type: 'B', status: 'False' },
        ],
      },
    },
    {
      name: 'podIPs merge by ip; $patch delete removes',
      status: { podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
      patch: { podIPs: [{ ip: 'fd00::1', $patch: 'delete' }, { ip: '10.0.0.2' }] },
      want: { podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] },
    },
    {
      name: 'null deletes a field',
      status: { podIP: '10.0.0.1', phase: 'Running' },
      patch: { podIP: null },
      want: { phase: 'Running' },
    },
    {
      name: 'scalars replace',
      status: { phase: 'Pending' },
      patch: { phase: 'Running' },
      want: { phase: 'Running' },
    },
    { name: 'empty status', status: undefined, patch: { podIP: '1.2.3.4' }, want: { podIP: '1.2.3.4' } },
  ];
  it.each(cases)('$name', ({ status, patch, want }) => {
    const frozen = JSON.stringify(status);
    expect(mergeStatus(status as Record<string, unknown> | undefined, patch)).toEqual(want);
    expect(JSON.stringify(status)).toBe(frozen);
  });
});

describe('statusOfPatch and trimPodStatusPatch', () => {
  it('takes the status of a kubelet patch body', () => {
    expect(statusOfPatch({ metadata: { uid: 'u' }, status: { podIP: 'x' } })).toEqual({ podIP: 'x' });
    expect(statusOfPatch({ podIP: 'x' })).toEqual({ podIP: 'x' });
  });
  it('drops what the mirror does not keep', () => {
    expect(
      trimPodStatusPatch({
        containerStatuses: [{ name: 'a' }],
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, message: 'm' }],
        '$setElementOrder/conditions': [{ type: 'Ready' }],
        podIP: '1',
      }),
    ).toEqual({
      conditions: [{ type: 'Ready', status: 'True' }],
      '$setElementOrder/conditions': [{ type: 'Ready' }],
      podIP: '1',
    });
  });
});
