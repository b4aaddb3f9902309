import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { ingestSubscriptionEvent } from '../../../shared/events/audit-ingest.js';
import { DETAIL_TYPES } from '../../../shared/events/contract.js';
import { auditEvent, details, fixture, lambdaEvent } from './support.js';

/**
 * The bad-input corpus, shared by bad-input.test.ts (exact outcomes) and audit-filter.test.ts
 * (the subscription filter must pass every line the function keeps).
 */

const encode = (text: string | Buffer) => ({ awslogs: { data: gzipSync(text).toString('base64') } });
const fullGzip = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [] }));
const kubeletPatch = fixture('02-pod-status-patch-podip-ready-eks-reconstructed.json');
const podCreate = fixture('03-pod-create-replicaset-controller-reconstructed.json');
const bigAnnotation = 'x'.repeat(300 * 1024);

export interface Expected {
  kept: number;
  dropped?: Record<string, number>;
  malformed?: string[];
  refused?: number;
  duplicates?: number;
  resync?: number;
}

export const throwing: Array<{ name: string; event: unknown; field: string; message: RegExp }> = [
  {
    name: 'bad base64',
    event: { awslogs: { data: 'not*base64!' } },
    field: 'awslogs.data',
    message: /base64/,
  },
  {
    name: 'base64 with a wrong length',
    event: { awslogs: { data: 'H4sIAAA' } },
    field: 'awslogs.data',
    message: /base64/,
  },
  {
    name: 'truncated gzip',
    event: { awslogs: { data: fullGzip.subarray(0, fullGzip.length - 12).toString('base64') } },
    field: 'awslogs.data',
    message: /gzip/,
  },
  {
    name: 'base64 of plain text, not gzip',
    event: { awslogs: { data: Buffer.from('hello world!').toString('base64') } },
    field: 'awslogs.data',
    message: /gzip/,
  },
  {
    name: 'gzip of text that is not JSON',
    event: encode('{"messageType":'),
    field: 'awslogs.data',
    message: /JSON/,
  },
  {
    name: 'payload without logEvents',
    event: encode(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: 'g', logStream: 's' })),
    field: 'subscriptionFilters',
    message: /subscriptionFilters/,
  },
  {
    name: 'unknown messageType',
    event: lambdaEvent([], { messageType: 'SOMETHING' as 'DATA_MESSAGE' }),
    field: 'messageType',
    message: /messageType/,
  },
  {
    name: 'not a subscription event at all',
    event: { detail: {} },
    field: 'awslogs.data',
    message: /awslogs/,
  },
  { name: 'empty data', event: { awslogs: { data: '' } }, field: 'awslogs.data', message: /awslogs/ },
  {
    name: 'a log group that is not an EKS cluster log group',
    event: lambdaEvent([auditEvent()], { logGroup: '/aws/lambda/slbc-ingest' }),
    field: 'logGroup',
    message: /\/aws\/lambda\/slbc-ingest/,
  },
];

export const accepted: Array<{
  name: string;
  event: unknown;
  expected: Expected;
  check?: (batch: ReturnType<typeof ingestSubscriptionEvent>) => void;
}> = [
  {
    name: 'CONTROL_MESSAGE is ignored',
    event: lambdaEvent(['CWL CONTROL MESSAGE: Checking health of destination Lambda.'], {
      messageType: 'CONTROL_MESSAGE',
      logGroup: '',
    }),
    expected: { kept: 0 },
  },
  {
    name: 'a cluster this deployment does not serve is refused and counted',
    event: lambdaEvent([auditEvent(), auditEvent()], { logGroup: '/aws/eks/someone-else/cluster' }),
    expected: { kept: 0, refused: 2 },
  },
  { name: 'empty logEvents', event: lambdaEvent([]), expected: { kept: 0 } },
  {
    name: 'a plain-text (klog) line',
    event: lambdaEvent([
      'I0524 09:29:44.887101 1 trace.go:236] Trace[1]: "Patch" url:/api/v1/pods',
      auditEvent(),
    ]),
    expected: { kept: 1, malformed: ['message'] },
  },
  {
    name: 'a truncated JSON line (1 MB CloudWatch cut)',
    event: lambdaEvent([JSON.stringify(auditEvent()).slice(0, 300), auditEvent()]),
    expected: { kept: 1, malformed: ['message'] },
  },
  {
    name: 'a JSON array line',
    event: lambdaEvent(['[1,2,3]']),
    expected: { kept: 0, malformed: ['message'] },
  },
  {
    name: 'an unknown apiVersion',
    event: lambdaEvent([auditEvent({ apiVersion: 'audit.k8s.io/v1beta1' })]),
    expected: { kept: 0, malformed: ['apiVersion'] },
  },
  {
    name: 'not an audit Event (kind Status)',
    event: lambdaEvent([auditEvent({ kind: 'Status' })]),
    expected: { kept: 0, malformed: ['kind'] },
  },
  {
    name: 'a write whose objectRef is missing (misspelt key)',
    event: lambdaEvent([
      auditEvent({
        objectRef: undefined,
        objectReference: { resource: 'services', namespace: 'default', name: 'api' },
      }),
    ]),
    expected: { kept: 0, malformed: ['objectRef.resource'] },
  },
  {
    name: 'a write without objectRef that names no watched resource cannot be ours',
    event: lambdaEvent([auditEvent({ objectRef: undefined })]),
    expected: { kept: 0, dropped: { prefilter: 1 } },
  },
  {
    name: 'a completed write without responseStatus',
    event: lambdaEvent([auditEvent({ responseStatus: undefined })]),
    expected: { kept: 0, malformed: ['responseStatus.code'] },
  },
  {
    name: 'a stageTimestamp that is not a timestamp',
    event: lambdaEvent([auditEvent({ stageTimestamp: 'yesterday' })]),
    expected: { kept: 0, malformed: ['stageTimestamp'] },
  },
  {
    name: 'a 409 Conflict response',
    event: lambdaEvent([
      auditEvent({ responseStatus: { status: 'Failure', reason: 'Conflict', code: 409 } }),
    ]),
    expected: { kept: 0, dropped: { failed: 1 } },
  },
  {
    name: 'a 403 Forbidden response',
    event: lambdaEvent([auditEvent({ responseStatus: { code: 403 } })]),
    expected: { kept: 0, dropped: { failed: 1 } },
  },
  {
    name: 'an unknown resource (configmaps)',
    event: lambdaEvent([
      auditEvent({ objectRef: { resource: 'configmaps', namespace: 'default', name: 'c' } }),
    ]),
    expected: { kept: 0, dropped: { prefilter: 1 } },
  },
  {
    name: 'an unwatched pods subresource (pods/binding)',
    event: lambdaEvent([
      auditEvent({
        verb: 'create',
        objectRef: { resource: 'pods', namespace: 'default', name: 'p', subresource: 'binding' },
      }),
    ]),
    expected: { kept: 0, dropped: { resource: 1 } },
  },
  {
    name: 'nodes of another API group (metrics.k8s.io)',
    event: lambdaEvent([
      auditEvent({ objectRef: { resource: 'nodes', name: 'n', apiGroup: 'metrics.k8s.io' } }),
    ]),
    expected: { kept: 0, dropped: { resource: 1 } },
  },
  {
    name: 'endpointslices (Metadata level only)',
    event: lambdaEvent([fixture('06-endpointslice-update-metadata-only-reconstructed.json')]),
    expected: { kept: 0, dropped: { prefilter: 1 } },
  },
  {
    name: 'get, list and watch',
    event: lambdaEvent(
      ['get', 'list', 'watch'].map((verb) =>
        auditEvent({ verb, level: 'Request', responseObject: undefined }),
      ),
    ),
    expected: { kept: 0, dropped: { prefilter: 3 } },
  },
  {
    name: 'a read that mentions a write verb still gets dropped (after parsing)',
    event: lambdaEvent([auditEvent({ verb: 'get', requestObject: { note: 'update' } })]),
    expected: { kept: 0, dropped: { verb: 1 } },
  },
  {
    name: 'stage RequestReceived',
    event: lambdaEvent([auditEvent({ stage: 'RequestReceived', responseStatus: undefined })]),
    expected: { kept: 0, dropped: { prefilter: 1 } },
  },
  {
    name: 'stage Panic that mentions ResponseComplete elsewhere',
    event: lambdaEvent([auditEvent({ stage: 'Panic', annotations: { note: 'ResponseComplete' } })]),
    expected: { kept: 0, dropped: { stage: 1 } },
  },
  {
    name: 'a dry-run create',
    event: lambdaEvent([
      auditEvent({ verb: 'create', requestURI: '/api/v1/namespaces/default/services?dryRun=All' }),
    ]),
    expected: { kept: 0, dropped: { dryRun: 1 } },
  },
  {
    name: 'duplicate audit IDs (a log event delivered twice)',
    event: lambdaEvent([podCreate, podCreate, auditEvent({ auditID: podCreate['auditID'] })]),
    expected: { kept: 1, duplicates: 2 },
  },
  {
    name: 'an object over the 256 KB budget goes out metadata-only with needsResync',
    event: lambdaEvent([
      auditEvent({
        responseObject: {
          metadata: { name: 'api', namespace: 'default', uid: 'u', annotations: { big: bigAnnotation } },
          spec: {},
        },
      }),
    ]),
    expected: { kept: 1, resync: 1 },
    check: (batch) => {
      const [detail] = details(batch);
      expect(detail?.needsResync).toBe(true);
      expect(detail?.object).toBeUndefined();
      expect(detail?.uid).toBe('u');
      expect(batch.report.resync[0]?.reason).toMatch(/over the 262144-byte budget/);
    },
  },
  {
    name: 'deletecollection names no object: empty name, needsResync',
    event: lambdaEvent([
      auditEvent({
        verb: 'deletecollection',
        requestURI: '/api/v1/namespaces/default/pods',
        objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
        responseObject: { kind: 'PodList', items: [] },
      }),
    ]),
    expected: { kept: 1 },
    check: (batch) => {
      const [detail] = details(batch);
      expect(detail).toMatchObject({ kind: 'Pod', namespace: 'default', name: '', needsResync: true });
      expect(detail?.object).toBeUndefined();
    },
  },
  {
    name: 'unicode names survive as they are',
    event: lambdaEvent([
      auditEvent({
        objectRef: { resource: 'services', namespace: 'équipe-名前', name: 'caf\u00e9-\u{1F680}' },
        responseObject: {
          metadata: {
            name: 'caf\u00e9-\u{1F680}',
            namespace: 'équipe-名前',
            labels: { 'app.kubernetes.io/name': 'Ωmega' },
          },
          spec: { ports: [{ port: 80 }] },
        },
      }),
    ]),
    expected: { kept: 1 },
    check: (batch) => {
      const [detail] = details(batch);
      expect(detail).toMatchObject({ name: 'caf\u00e9-\u{1F680}', namespace: 'équipe-名前' });
      expect(detail?.object).toMatchObject({ metadata: { labels: { 'app.kubernetes.io/name': 'Ωmega' } } });
    },
  },
  {
    name: 'a kubelet patch touching only containerStatuses changes nothing slbc reads',
    event: lambdaEvent([
      {
        ...kubeletPatch,
        requestObject: {
          metadata: { uid: 'u' },
          status: { containerStatuses: [{ name: 'web', restartCount: 1 }] },
        },
      },
    ]),
    expected: { kept: 0, dropped: { noRelevantFields: 1 } },
  },
  {
    name: 'a pods/status JSON patch (an array) is kept metadata-only',
    event: lambdaEvent([
      { ...kubeletPatch, requestObject: [{ op: 'replace', path: '/status/phase', value: 'Running' }] },
    ]),
    expected: { kept: 1, resync: 1 },
    check: (batch) =>
      expect(details(batch)[0]).toMatchObject({
        needsResync: true,
        kind: 'Pod',
        name: 'web-5d8c7b9f6c-x2k7p',
      }),
  },
  {
    name: 'a pods/status patch logged at RequestResponse (not the kubelet) uses the full pod',
    event: lambdaEvent([
      {
        ...kubeletPatch,
        level: 'RequestResponse',
        responseObject: {
          kind: 'Pod',
          metadata: { name: 'web-5d8c7b9f6c-x2k7p', uid: 'u1', resourceVersion: '9' },
        },
      },
    ]),
    expected: { kept: 1 },
    check: (batch) => {
      expect(batch.entries[0]?.detailType).toBe(DETAIL_TYPES.Pod);
      expect(details(batch)[0]).toMatchObject({ uid: 'u1', resourceVersion: '9', object: { kind: 'Pod' } });
      expect(details(batch)[0]?.patch).toBeUndefined();
    },
  },
  {
    name: 'a kubelet patch that removes the pod IP keeps the null',
    event: lambdaEvent([
      { ...kubeletPatch, requestObject: { metadata: { uid: 'u' }, status: { podIP: null, podIPs: null } } },
    ]),
    expected: { kept: 1 },
    check: (batch) =>
      expect(details(batch)[0]?.patch).toStrictEqual({ status: { podIP: null, podIPs: null } }),
  },
  {
    name: 'a kubelet patch without metadata.uid takes the uid from objectRef',
    event: lambdaEvent([
      {
        ...kubeletPatch,
        objectRef: {
          resource: 'pods',
          namespace: 'default',
          name: 'p',
          subresource: 'status',
          uid: 'ref-uid',
        },
        requestObject: { status: { phase: 'Succeeded' } },
      },
    ]),
    expected: { kept: 1 },
    check: (batch) =>
      expect(details(batch)[0]).toMatchObject({ uid: 'ref-uid', patch: { status: { phase: 'Succeeded' } } }),
  },
  {
    name: 'a delete answered with a Status takes name and uid from objectRef',
    event: lambdaEvent([
      auditEvent({
        verb: 'delete',
        objectRef: { resource: 'services', namespace: 'default', name: 'api', uid: 'svc-uid-1' },
        responseObject: { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'api' } },
      }),
    ]),
    expected: { kept: 1 },
    check: (batch) => {
      const [detail] = details(batch);
      expect(detail).toMatchObject({ verb: 'delete', name: 'api', uid: 'svc-uid-1' });
      expect(detail?.object).toBeUndefined();
      expect(detail?.needsResync).toBeUndefined();
    },
  },
  {
    name: 'a patch logged at Metadata level has no body: needsResync',
    event: lambdaEvent([auditEvent({ level: 'Metadata', verb: 'patch', responseObject: undefined })]),
    expected: { kept: 1, resync: 1 },
    check: (batch) => expect(details(batch)[0]).toMatchObject({ name: 'api', needsResync: true }),
  },
  {
    name: 'a response that fails the object schema is kept metadata-only, naming the field',
    event: lambdaEvent([
      auditEvent({ responseObject: { metadata: { name: 'api' }, spec: { ports: [{ port: 'eighty' }] } } }),
    ]),
    expected: { kept: 1, resync: 1 },
    check: (batch) => expect(batch.report.resync[0]?.reason).toMatch(/responseObject\.spec\.ports\.0\.port/),
  },
  {
    name: 'a node create is cluster-scoped (no namespace)',
    event: lambdaEvent([
      auditEvent({
        verb: 'create',
        objectRef: { resource: 'nodes', name: 'ip-10-0-1-1' },
        responseObject: {
          kind: 'Node',
          metadata: { name: 'ip-10-0-1-1', uid: 'n1' },
          spec: { providerID: 'aws:///eu-west-1a/i-1' },
        },
      }),
    ]),
    expected: { kept: 1 },
    check: (batch) => {
      expect(batch.entries[0]?.detailType).toBe(DETAIL_TYPES.Node);
      expect(details(batch)[0]?.namespace).toBeUndefined();
    },
  },
  {
    name: 'one bad line among good ones: the rest goes through',
    event: lambdaEvent([
      podCreate,
      '{"kind":"Event","stage":"ResponseComplete","verb":"create","pods"',
      kubeletPatch,
    ]),
    expected: { kept: 2, malformed: ['message'] },
  },
];
