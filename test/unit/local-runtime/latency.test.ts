import { describe, expect, it } from 'vitest';
import { putEventsFacts, ReadyLatency } from '../../../infra/local/runtime/latency.js';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1';
const endpointsEntry = (ready: string[], notReady: string[] = []) => ({
  DetailType: 'Endpoints Changed',
  Detail: JSON.stringify({
    object: {
      subsets: [
        { addresses: ready.map((ip) => ({ ip })), notReadyAddresses: notReady.map((ip) => ({ ip })) },
      ],
    },
  }),
});
const boundEntry = { DetailType: 'Target Group Bound', Detail: JSON.stringify({ targetGroupArn: TG }) };

describe('putEventsFacts: what a PutEvents call tells the processing latency', () => {
  it.each([
    {
      name: 'ready addresses only, not the not-ready ones',
      entries: [endpointsEntry(['10.0.0.1'], ['10.0.0.2'])],
      want: { readyIps: ['10.0.0.1'], boundTargetGroups: [] },
    },
    { name: 'a bound target group', entries: [boundEntry], want: { readyIps: [], boundTargetGroups: [TG] } },
    {
      name: 'other events',
      entries: [{ DetailType: 'Pod Changed', Detail: '{"object":{"status":{"podIP":"10.0.0.3"}}}' }],
      want: { readyIps: [], boundTargetGroups: [] },
    },
  ])('$name', ({ entries, want }) => {
    expect(putEventsFacts(entries)).toEqual(want);
  });
});

describe('ReadyLatency processing samples: audit lag and load balancer creation left out', () => {
  it('counts from the later of the Endpoints event and the Target Group Bound, once per IP', () => {
    let now = 1_000;
    const latency = new ReadyLatency({ now: () => now } as never);
    latency.published(putEventsFacts([endpointsEntry(['10.0.0.1'])]));
    now = 5_000;
    latency.published(putEventsFacts([boundEntry, endpointsEntry(['10.0.0.1', '10.0.0.2'])]));
    now = 5_300;
    latency.registered([{ Id: '10.0.0.1' }, { Id: '10.0.0.2' }], TG);
    now = 9_000;
    latency.registered([{ Id: '10.0.0.1' }], TG);
    expect(latency.processingSamples()).toEqual([300, 300]);
  });

  it('counts from the Endpoints event when the group was bound before it', () => {
    let now = 1_000;
    const latency = new ReadyLatency({ now: () => now } as never);
    latency.published(putEventsFacts([boundEntry]));
    now = 2_000;
    latency.published(putEventsFacts([endpointsEntry(['10.0.0.1'])]));
    now = 2_450;
    latency.registered([{ Id: '10.0.0.1' }], TG);
    expect(latency.processingSamples()).toEqual([450]);
  });
});
