import { describe, expect, it } from 'vitest';
import { ingestPayload, ingestSubscriptionEvent } from '../../../shared/events/audit-ingest.js';
import { ClusterChangeDetailSchema, DETAIL_TYPES } from '../../../shared/events/contract.js';
import { CLUSTER, details, fixture, outcome, payload } from './support.js';

/**
 * Every sample in test/fixtures/eks-audit, the verbatim real EKS event included, through the
 * whole pure pipeline, with the exact detail it must become.
 */

const LOG_EVENT_ID = '37953106606966983378809025079804211143289615424298221568';
const POD_UID = 'd67a9290-1dc8-4f14-ac84-88e9ae82d2a2';
const POD = 'web-5d8c7b9f6c-x2k7p';

const cases = [
  {
    name: '01 real kubelet pods/status patch (OOMKilled, Ready=False)',
    file: '01-pod-status-patch-eks-real-oomkilled.json',
    detailType: DETAIL_TYPES.PodStatus,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Pod',
      namespace: 'default',
      name: 'stress-83-tbnq2',
      uid: '10177585-b79f-44a0-bdcc-c68ec12d012a',
      verb: 'patch',
      subresource: 'status',
      observedAt: '2021-09-27T08:36:44.021638Z',
      auditId: '0e507148-8b16-4dfb-934b-9b05dba50974',
      logEventId: LOG_EVENT_ID,
      patch: {
        status: {
          '$setElementOrder/conditions': [
            { type: 'Initialized' },
            { type: 'Ready' },
            { type: 'ContainersReady' },
            { type: 'PodScheduled' },
          ],
          conditions: [
            { lastTransitionTime: '2021-09-27T08:36:44Z', status: 'False', type: 'Ready' },
            { lastTransitionTime: '2021-09-27T08:36:44Z', status: 'False', type: 'ContainersReady' },
          ],
          phase: 'Failed',
        },
      },
    },
  },
  {
    name: '02 kubelet pods/status patch with podIP and Ready=True',
    file: '02-pod-status-patch-podip-ready-eks-reconstructed.json',
    detailType: DETAIL_TYPES.PodStatus,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Pod',
      namespace: 'default',
      name: POD,
      uid: POD_UID,
      verb: 'patch',
      subresource: 'status',
      observedAt: '2025-05-24T09:29:44.887101Z',
      auditId: '1025990a-e51c-4c51-9010-6436999a88cb',
      logEventId: LOG_EVENT_ID,
      patch: {
        status: {
          '$setElementOrder/conditions': [
            { type: 'PodReadyToStartContainers' },
            { type: 'Initialized' },
            { type: 'Ready' },
            { type: 'ContainersReady' },
            { type: 'PodScheduled' },
          ],
          conditions: [
            { lastTransitionTime: '2025-05-24T09:29:44Z', status: 'True', type: 'Ready' },
            { lastTransitionTime: '2025-05-24T09:29:44Z', status: 'True', type: 'ContainersReady' },
          ],
          phase: 'Running',
          podIP: '10.0.13.57',
          podIPs: [{ ip: '10.0.13.57' }],
        },
      },
    },
  },
  {
    name: '03 pod create by the ReplicaSet controller (name generated, from the response)',
    file: '03-pod-create-replicaset-controller-reconstructed.json',
    detailType: DETAIL_TYPES.Pod,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Pod',
      namespace: 'default',
      name: POD,
      uid: POD_UID,
      resourceVersion: '35190',
      verb: 'create',
      observedAt: '2025-05-24T09:29:24.119876Z',
      auditId: '6b1f2c7e-4f0a-4e4b-9a55-0c1d2e3f4a5b',
      logEventId: LOG_EVENT_ID,
      object: {
        kind: 'Pod',
        metadata: {
          name: POD,
          namespace: 'default',
          uid: POD_UID,
          resourceVersion: '35190',
          creationTimestamp: '2025-05-24T09:29:24Z',
          labels: { app: 'web', 'pod-template-hash': '5d8c7b9f6c' },
        },
        spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
        status: { phase: 'Pending' },
      },
    },
  },
  {
    name: '04a graceful pod delete (the response is the terminating pod)',
    file: '04a-pod-delete-graceful-reconstructed.json',
    detailType: DETAIL_TYPES.Pod,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Pod',
      namespace: 'default',
      name: POD,
      uid: POD_UID,
      resourceVersion: '36011',
      verb: 'delete',
      observedAt: '2025-05-24T10:02:11.411870Z',
      auditId: 'f0c1d2e3-0a1b-4c2d-8e3f-112233445566',
      logEventId: LOG_EVENT_ID,
      object: {
        kind: 'Pod',
        metadata: {
          name: POD,
          namespace: 'default',
          uid: POD_UID,
          resourceVersion: '36011',
          creationTimestamp: '2025-05-24T09:29:24Z',
          deletionTimestamp: '2025-05-24T10:02:41Z',
          labels: { app: 'web', 'pod-template-hash': '5d8c7b9f6c' },
        },
        spec: { nodeName: 'ip-10-0-12-34.eu-west-1.compute.internal', containers: [{ name: 'web' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-05-24T09:29:44Z' }],
          podIP: '10.0.13.57',
          podIPs: [{ ip: '10.0.13.57' }],
        },
      },
    },
  },
  {
    name: '04b final pod delete by the kubelet',
    file: '04b-pod-delete-final-by-kubelet-reconstructed.json',
    detailType: DETAIL_TYPES.Pod,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Pod',
      namespace: 'default',
      name: POD,
      uid: POD_UID,
      resourceVersion: '36102',
      verb: 'delete',
      observedAt: '2025-05-24T10:02:14.559311Z',
      auditId: '0a9b8c7d-6e5f-4a3b-9c1d-ffeeddccbbaa',
      logEventId: LOG_EVENT_ID,
      object: {
        kind: 'Pod',
        metadata: {
          name: POD,
          namespace: 'default',
          uid: POD_UID,
          resourceVersion: '36102',
          deletionTimestamp: '2025-05-24T10:02:12Z',
        },
        status: { phase: 'Running', podIP: '10.0.13.57', podIPs: [{ ip: '10.0.13.57' }] },
      },
    },
  },
  {
    name: '05 kubectl patch of an Ingress (full object from the response)',
    file: '05-ingress-patch-kubectl-reconstructed.json',
    detailType: DETAIL_TYPES.Ingress,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Ingress',
      namespace: 'default',
      name: 'web',
      uid: '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928',
      resourceVersion: '40211',
      verb: 'patch',
      observedAt: '2025-05-24T11:00:03.014000Z',
      auditId: '3c2b1a09-8f7e-4d6c-b5a4-9f8e7d6c5b4a',
      logEventId: LOG_EVENT_ID,
      object: {
        kind: 'Ingress',
        metadata: {
          name: 'web',
          namespace: 'default',
          uid: '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928',
          resourceVersion: '40211',
          creationTimestamp: '2025-05-20T08:00:00Z',
          generation: 4,
          annotations: {
            'alb.ingress.kubernetes.io/group.name': 'shared',
            'alb.ingress.kubernetes.io/group.order': '10',
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          },
          finalizers: ['group.ingress.k8s.aws/shared'],
        },
        spec: {
          ingressClassName: 'alb',
          rules: [
            {
              host: 'web.example.com',
              http: {
                paths: [
                  {
                    path: '/api',
                    pathType: 'Prefix',
                    backend: { service: { name: 'web', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
        status: {
          loadBalancer: {
            ingress: [{ hostname: 'k8s-shared-1a2b3c4d5e-1234567890.eu-west-1.elb.amazonaws.com' }],
          },
        },
      },
    },
  },
  {
    name: '07 Endpoints update (responseObject elided in the sample: the full requestObject is used)',
    file: '07-endpoints-update-requestresponse-reconstructed.json',
    detailType: DETAIL_TYPES.Endpoints,
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind: 'Endpoints',
      namespace: 'default',
      name: 'web',
      uid: '1a2b3c4d-5e6f-4708-9a0b-1c2d3e4f5a6b',
      resourceVersion: '35201',
      verb: 'update',
      observedAt: '2025-05-24T09:29:44.933000Z',
      auditId: '2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809',
      logEventId: LOG_EVENT_ID,
      object: {
        kind: 'Endpoints',
        metadata: {
          name: 'web',
          namespace: 'default',
          uid: '1a2b3c4d-5e6f-4708-9a0b-1c2d3e4f5a6b',
          resourceVersion: '35201',
          labels: { app: 'web' },
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-05-24T09:29:44Z' },
        },
        subsets: [
          {
            addresses: [
              {
                ip: '10.0.13.57',
                nodeName: 'ip-10-0-12-34.eu-west-1.compute.internal',
                targetRef: { kind: 'Pod', namespace: 'default', name: POD, uid: POD_UID },
              },
            ],
            notReadyAddresses: [
              {
                ip: '10.0.14.9',
                nodeName: 'ip-10-0-14-200.eu-west-1.compute.internal',
                targetRef: {
                  kind: 'Pod',
                  namespace: 'default',
                  name: 'web-5d8c7b9f6c-q9r4t',
                  uid: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
                },
              },
            ],
            ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
          },
        ],
      },
    },
  },
];

describe('ingest of the EKS audit samples', () => {
  describe.each(cases)('$name', ({ file, detail, detailType }) => {
    const event = fixture(file);
    const logEvent = { id: LOG_EVENT_ID, timestamp: 1, message: JSON.stringify(event) };

    it('becomes exactly the expected detail, detail-type and source', () => {
      // Act
      const batch = ingestPayload({ ...payload([]), logEvents: [logEvent] }, { clusters: [CLUSTER] });
      // Assess
      expect(outcome(batch)).toEqual({
        kept: 1,
        dropped: {},
        malformed: [],
        refused: 0,
        duplicates: 0,
        resync: 0,
      });
      expect(details(batch)).toStrictEqual([detail]);
      expect(batch.entries[0]?.detailType).toBe(detailType);
      expect(batch.entries[0]?.source).toBe('slbc.cluster');
      expect(batch.entries[0]?.time?.toISOString().slice(0, 23)).toBe(detail.observedAt.slice(0, 23));
      expect(ClusterChangeDetailSchema.safeParse(details(batch)[0]).success).toBe(true);
    });

    it('gives the same detail when the line is pretty-printed (the pre-check ignores layout)', () => {
      const pretty = { ...logEvent, message: JSON.stringify(event, null, 2) };
      const batch = ingestPayload({ ...payload([]), logEvents: [pretty] }, { clusters: [CLUSTER] });
      expect(details(batch)).toStrictEqual([detail]);
    });
  });

  it('06 EndpointSlice update (Metadata level, no addresses) is not a followed resource', () => {
    const batch = ingestPayload(
      payload([fixture('06-endpointslice-update-metadata-only-reconstructed.json')]),
      { clusters: [CLUSTER] },
    );
    expect(outcome(batch)).toEqual({
      kept: 0,
      dropped: { prefilter: 1 },
      malformed: [],
      refused: 0,
      duplicates: 0,
      resync: 0,
    });
  });

  it('08b the encoded Lambda event decodes to the 08 payload and its pod status patch', () => {
    // Prepare
    const event = fixture('08b-cwlogs-subscription-lambda-event-encoded.json');
    const decoded = fixture('08-cwlogs-subscription-decoded-payload-reconstructed.json');
    // Act
    const batch = ingestSubscriptionEvent(event, { clusters: ['my-cluster'] });
    // Assess
    expect(batch.report.logGroup).toBe(decoded['logGroup']);
    expect(details(batch)).toStrictEqual([
      {
        version: 1,
        cluster: 'my-cluster',
        kind: 'Pod',
        namespace: 'default',
        name: POD,
        uid: POD_UID,
        verb: 'patch',
        subresource: 'status',
        observedAt: '2025-05-24T09:29:44.887101Z',
        auditId: '1025990a-e51c-4c51-9010-6436999a88cb',
        logEventId: '31953106606966983378809025079804211143289615424298221568',
        patch: { status: { phase: 'Running', podIP: '10.0.13.57', podIPs: [{ ip: '10.0.13.57' }] } },
      },
    ]);
    expect(batch.entries[0]?.detailType).toBe(DETAIL_TYPES.PodStatus);
  });
});
