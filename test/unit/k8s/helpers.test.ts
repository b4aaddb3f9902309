import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../../shared/k8s/objects.js';
import {
  endpointsSubsetPort,
  findServicePort,
  instanceIdFromProviderId,
  resolveTargetPort,
} from '../../../shared/k8s/ports.js';
import { type LabelSelector, matchesEquality, matchesSelector } from '../../../shared/k8s/selector.js';

describe('label selectors', () => {
  it.each([
    {
      name: 'equality match',
      labels: { app: 'web', tier: 'front' },
      selector: { matchLabels: { app: 'web' } },
      want: true,
    },
    {
      name: 'equality mismatch',
      labels: { app: 'api' },
      selector: { matchLabels: { app: 'web' } },
      want: false,
    },
    { name: 'empty selector matches all', labels: {}, selector: {}, want: true },
    {
      name: 'In',
      labels: { env: 'prod' },
      selector: { matchExpressions: [{ key: 'env', operator: 'In' as const, values: ['prod', 'stg'] }] },
      want: true,
    },
    {
      name: 'NotIn with the key absent',
      labels: {},
      selector: { matchExpressions: [{ key: 'env', operator: 'NotIn' as const, values: ['prod'] }] },
      want: true,
    },
    {
      name: 'Exists',
      labels: { gpu: '' },
      selector: { matchExpressions: [{ key: 'gpu', operator: 'Exists' as const }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      labels: { gpu: '' },
      selector: { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' as const }] },
      want: false,
    },
    { name: 'undefined labels', labels: undefined, selector: { matchLabels: { a: 'b' } }, want: false },
  ])('$name', ({ labels, selector, want }) =>
    expect(matchesSelector(labels as Record<string, string> | undefined, selector as LabelSelector)).toBe(
      want,
    ),
  );
  it('does not match inherited properties', () => expect(matchesEquality({}, { toString: 'x' })).toBe(false));
});

const service: Service = {
  metadata: { name: 's', namespace: 'n' },
  spec: {
    ports: [
      { name: 'http', port: 80, targetPort: 'web' },
      { name: 'metrics', port: 9100, targetPort: 9100 },
      { port: 8443 },
    ],
  },
};
const pod = (containerPort: number, protocol?: string): Pod => ({
  metadata: { name: 'p' },
  spec: {
    containers: [
      { name: 'c', ports: [{ name: 'web', containerPort, ...(protocol === undefined ? {} : { protocol }) }] },
    ],
  },
});

describe('ports', () => {
  it.each([
    { name: 'by name', ref: 'http', want: 80 },
    { name: 'by number', ref: 9100, want: 9100 },
    { name: 'numeric string', ref: '8443', want: 8443 },
    { name: 'missing', ref: 'grpc', want: undefined },
  ])('findServicePort $name', ({ ref, want }) => expect(findServicePort(service, ref)?.port).toBe(want));

  it.each([
    { name: 'named, resolved per pod', port: { port: 80, targetPort: 'web' }, pod: pod(8080), want: 8080 },
    {
      name: 'named, another pod, another port',
      port: { port: 80, targetPort: 'web' },
      pod: pod(9090),
      want: 9090,
    },
    {
      name: 'named, protocol must match',
      port: { port: 80, targetPort: 'web', protocol: 'UDP' },
      pod: pod(8080),
      want: undefined,
    },
    { name: 'named, no pod', port: { port: 80, targetPort: 'web' }, pod: undefined, want: undefined },
    { name: 'numeric', port: { port: 80, targetPort: 8081 }, pod: undefined, want: 8081 },
    { name: 'absent: the service port', port: { port: 80 }, pod: undefined, want: 80 },
  ])('resolveTargetPort $name', ({ port, pod: p, want }) => expect(resolveTargetPort(port, p)).toBe(want));

  it.each([
    {
      name: 'by the service port name',
      subset: {
        ports: [
          { name: 'a', port: 1 },
          { name: 'http', port: 8080 },
        ],
      },
      port: { name: 'http', port: 80 },
      want: 8080,
    },
    { name: 'unnamed single port', subset: { ports: [{ port: 8080 }] }, port: { port: 80 }, want: 8080 },
    {
      name: 'name absent from the subset',
      subset: { ports: [{ name: 'a', port: 1 }] },
      port: { name: 'http', port: 80 },
      want: undefined,
    },
  ])('endpointsSubsetPort $name', ({ subset, port, want }) =>
    expect(endpointsSubsetPort(subset, port)).toBe(want),
  );

  it.each([
    { id: 'aws:///eu-west-1a/i-0abc123', want: 'i-0abc123' },
    { id: 'aws:///i-0abc', want: undefined },
    { id: 'eks-hybrid:///us-west-2/my-cluster/mi-0123', want: 'hybrid-mi-0123' },
    { id: 'gce://p/z/n', want: undefined },
    { id: undefined, want: undefined },
  ])('instanceIdFromProviderId($id)', ({ id, want }) => expect(instanceIdFromProviderId(id)).toBe(want));
});
