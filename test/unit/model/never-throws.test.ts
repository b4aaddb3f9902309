import { describe, expect, it } from 'vitest';
import type { Service } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import { environment, pathsIngress, service } from './helpers.js';

// Bad user input is a value, never an exception: every annotation the model reads, with values
// that break each grammar, must come back as a member error (or be ignored), never a throw.

const INGRESS_SUFFIXES = [
  'scheme',
  'ip-address-type',
  'load-balancer-name',
  'subnets',
  'security-groups',
  'load-balancer-attributes',
  'tags',
  'ssl-redirect',
  'listen-ports',
  'certificate-arn',
  'ssl-policy',
  'inbound-cidrs',
  'target-type',
  'backend-protocol',
  'backend-protocol-version',
  'healthcheck-port',
  'healthcheck-protocol',
  'healthcheck-path',
  'healthcheck-interval-seconds',
  'healthcheck-timeout-seconds',
  'healthy-threshold-count',
  'unhealthy-threshold-count',
  'success-codes',
  'target-group-attributes',
  'target-node-labels',
  'multi-cluster-target-group',
  'use-regex-path-match',
  'group.order',
  'actions.svc-1',
  'conditions.svc-1',
];
const SERVICE_SUFFIXES = [
  'aws-load-balancer-type',
  'aws-load-balancer-nlb-target-type',
  'aws-load-balancer-scheme',
  'aws-load-balancer-internal',
  'aws-load-balancer-name',
  'aws-load-balancer-subnets',
  'aws-load-balancer-security-groups',
  'aws-load-balancer-ip-address-type',
  'aws-load-balancer-healthcheck-protocol',
  'aws-load-balancer-healthcheck-port',
  'aws-load-balancer-healthcheck-path',
  'aws-load-balancer-healthcheck-interval',
  'aws-load-balancer-healthcheck-timeout',
  'aws-load-balancer-healthcheck-healthy-threshold',
  'aws-load-balancer-healthcheck-unhealthy-threshold',
  'aws-load-balancer-healthcheck-success-codes',
  'aws-load-balancer-target-group-attributes',
  'aws-load-balancer-attributes',
  'aws-load-balancer-additional-resource-tags',
  'aws-load-balancer-ssl-cert',
  'aws-load-balancer-ssl-ports',
  'aws-load-balancer-backend-protocol',
  'aws-load-balancer-proxy-protocol',
  'load-balancer-source-ranges',
];
const GARBAGE = [
  '',
  ' ',
  '=',
  ',',
  'null',
  '[]',
  '{}',
  '[null]',
  '[{"HTTP":"80"}]',
  '[[80]]',
  '{"type":null}',
  '-1',
  '99999999999',
  '\\',
  'x=y,=z',
  '{"type":"forward","forwardConfig":{"targetGroups":[null]}}',
  '[{"field":"query-string","queryStringConfig":{"values":[null]}}]',
];

const cases = INGRESS_SUFFIXES.flatMap((suffix) =>
  GARBAGE.map((value) => ({ key: `alb.ingress.kubernetes.io/${suffix}`, value })),
);
const serviceCases = SERVICE_SUFFIXES.flatMap((suffix) =>
  GARBAGE.map((value) => ({ key: `service.beta.kubernetes.io/${suffix}`, value })),
);

describe('garbage annotation values never throw', () => {
  it(`Ingress: ${cases.length} key/value pairs`, () => {
    for (const { key, value } of cases) {
      const member = pathsIngress('ing-1', ['/a'], { [key]: value });
      const build = () =>
        buildIngressGroupStack({
          env: environment(),
          group: { id: { namespace: '', name: 'g' }, members: [member], memberErrors: [] },
          services: [service('svc-1')],
        });
      expect(build, `${key}=${JSON.stringify(value)}`).not.toThrow();
    }
  });

  it(`Service: ${serviceCases.length} key/value pairs`, () => {
    for (const { key, value } of serviceCases) {
      const nlb: Service = {
        metadata: { namespace: 'ns-1', name: 'web', annotations: { [key]: value } },
        spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http', nodePort: 30000 }] },
      };
      expect(
        () => buildServiceStack({ env: environment(), id: { namespace: 'ns-1', name: 'web' }, service: nlb }),
        `${key}=${JSON.stringify(value)}`,
      ).not.toThrow();
    }
  });
});
