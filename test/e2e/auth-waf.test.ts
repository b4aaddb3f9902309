import {
  DescribeListenerAttributesCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

/** The `guarded` Ingress names the web ACL the scenario's first step made (its ARN holds a random ID). */
const guarded = (aclArn: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'guarded',
    namespace: 'default',
    annotations: {
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/wafv2-acl-arn': aclArn,
    },
  },
  spec: {
    ingressClassName: 'alb',
    rules: [
      {
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
});

describe('e2e: authentication and WAF (issue 12)', () => {
  it(
    'Cognito and OIDC rules run their authenticate action first, a missing OIDC Secret refuses its Ingress, a web ACL ends associated',
    async () => {
      let aclArn = '';
      const associated = new Map<string, string | undefined>();
      const serverHeader = new Map<string, string | undefined>();
      const report = await runNamed('auth-waf', {
        afterStep: async (step, system) => {
          if (step.index !== 0) return;
          const waf = new WAFV2Client({
            endpoint: system.aws.url,
            region: 'eu-west-1',
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          });
          const listed = await waf.send(new ListWebACLsCommand({ Scope: 'REGIONAL' }));
          waf.destroy();
          aclArn = listed.WebACLs?.find((acl) => acl.Name === 'shop-acl')?.ARN ?? '';
          expect(aclArn).toMatch(/:regional\/webacl\/shop-acl\//);
          system.apply(guarded(aclArn));
        },
        inspect: async (system) => {
          const topology = await system.topology();
          const elbv2 = new ElasticLoadBalancingV2Client({
            endpoint: system.aws.url,
            region: 'eu-west-1',
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          });
          for (const lb of topology.loadBalancers) {
            associated.set(lb.name, system.aws.services.wafv2.webAclFor(lb.arn));
            const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.arn }));
            for (const listener of listeners.Listeners ?? []) {
              const read = await elbv2.send(
                new DescribeListenerAttributesCommand({ ListenerArn: listener.ListenerArn }),
              );
              const value = read.Attributes?.find(
                (a) => a.Key === 'routing.http.response.server.enabled',
              )?.Value;
              serverHeader.set(`${lb.name}:${listener.Port}`, value);
            }
          }
          elbv2.destroy();
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);

      const shop = report.loadBalancers.find((lb) => lb.name.startsWith('k8s-shop-'));
      const https = shop?.listeners.find((listener) => listener.port === 443);
      expect(https?.rules.filter((rule) => rule.priority !== 'default')).toEqual([
        {
          priority: 1,
          conditions: [expect.objectContaining({ Field: 'path-pattern' })],
          actions: [
            expect.objectContaining({
              Type: 'authenticate-cognito',
              Order: 1,
              AuthenticateCognitoConfig: expect.objectContaining({
                UserPoolDomain: 'shop-auth',
                OnUnauthenticatedRequest: 'authenticate',
              }),
            }),
            expect.objectContaining({ Type: 'forward', Order: 2 }),
          ],
        },
        {
          // priority 2 stays free for secret-app's rule, made once its Secret exists
          priority: 3,
          conditions: [expect.objectContaining({ Field: 'path-pattern' })],
          actions: [
            expect.objectContaining({
              Type: 'authenticate-oidc',
              Order: 1,
              AuthenticateOidcConfig: expect.objectContaining({
                ClientId: 'oidc-client',
                OnUnauthenticatedRequest: 'deny',
              }),
            }),
            expect.objectContaining({ Type: 'forward', Order: 2 }),
          ],
        },
      ]);
      expect(JSON.stringify(report)).not.toContain('very-secret-value');
      // no rule for /secure exists at all: never served without its authentication
      expect(JSON.stringify(shop)).not.toContain('/secure');
      const refused = report.errors.find((error) => JSON.stringify(error).includes('secret-app'));
      expect(JSON.stringify(refused)).toContain('Secret default/oidc-missing not found');

      const guardedLb = report.loadBalancers.find((lb) => lb.name.startsWith('k8s-default-guarded-'));
      expect(guardedLb?.name).toBeTruthy();
      expect(associated.get(guardedLb!.name)).toBe(aclArn);
      expect(associated.get(shop!.name)).toBeUndefined();
      // listener-attributes.HTTPS-443 on shop's listener, the default on guarded's
      expect(serverHeader.get(`${shop!.name}:443`)).toBe('false');
      expect(serverHeader.get(`${guardedLb!.name}:80`)).toBe('true');
    },
    E2E_TIMEOUT_MS,
  );
});
