import {
  CreateListenerCommand,
  DeleteListenerCommand,
  ModifyListenerAttributesCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ListenerSpec } from '../../model/stack.js';
import { str, tagsArray, toSdkActions } from '../elbv2-stacks-convert.js';
import { ignoreNotFound } from '../elbv2-stacks-errors.js';
import { type Appliers, sdkAttributes } from './applier.js';

/**
 * Listeners. Only the default certificate goes with the listener; AWS takes the others through
 * AddListenerCertificates. CreateListener takes no attributes: they follow in a second call.
 */
export const listenerAppliers: Appliers<
  'createListener' | 'modifyListener' | 'modifyListenerAttributes' | 'deleteListener'
> = {
  async createListener(client, call, change, credentials) {
    const s = change.spec;
    const result = await call('CreateListener', `port ${s.port}`, () =>
      client.send(
        new CreateListenerCommand({
          LoadBalancerArn: str(s.loadBalancerARN),
          Port: s.port,
          Protocol: s.protocol,
          DefaultActions: toSdkActions(s.defaultActions, credentials),
          ...defaultCertificate(s),
          ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
          ...(s.alpnPolicy ? { AlpnPolicy: s.alpnPolicy } : {}),
          Tags: tagsArray(s.tags),
        }),
      ),
    );
    const arn = result.Listeners?.[0]?.ListenerArn ?? '';
    if (s.listenerAttributes?.length) {
      const attributes = sdkAttributes(s.listenerAttributes);
      await call('ModifyListenerAttributes', arn, () =>
        client.send(new ModifyListenerAttributesCommand({ ListenerArn: arn, Attributes: attributes })),
      );
    }
    return { arn };
  },

  async modifyListenerAttributes(client, call, change) {
    await call('ModifyListenerAttributes', change.arn, () =>
      client.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: change.arn,
          Attributes: sdkAttributes(change.attributes),
        }),
      ),
    );
    return {};
  },

  async modifyListener(client, call, change, credentials) {
    const s = change.spec;
    await call('ModifyListener', change.arn, () =>
      client.send(
        new ModifyListenerCommand({
          ListenerArn: change.arn,
          Port: s.port,
          Protocol: s.protocol,
          DefaultActions: toSdkActions(s.defaultActions, credentials),
          ...defaultCertificate(s),
          ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
        }),
      ),
    );
    return {};
  },

  async deleteListener(client, call, change) {
    await ignoreNotFound(
      call('DeleteListener', change.arn, () =>
        client.send(new DeleteListenerCommand({ ListenerArn: change.arn })),
      ),
    );
    return {};
  },
};

function defaultCertificate(spec: ListenerSpec): { Certificates?: { CertificateArn: string }[] } {
  if (!spec.certificates?.length) return {};
  return { Certificates: spec.certificates.slice(0, 1).map((c) => ({ CertificateArn: c.certificateARN })) };
}
