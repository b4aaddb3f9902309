import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { tagsArray, toSdkHealthCheck } from '../elbv2-stacks-convert.js';
import { ignoreNotFound } from '../elbv2-stacks-errors.js';
import { assertOwned, createByName } from '../elbv2-stacks-ownership.js';
import { type Appliers, sdkAttributes } from './applier.js';

/** Target groups. CreateTargetGroup takes no attributes: they follow in a second call. */
export const targetGroupAppliers: Appliers<
  'createTargetGroup' | 'modifyTargetGroup' | 'modifyTargetGroupAttributes' | 'deleteTargetGroup'
> = {
  async createTargetGroup(client, call, change) {
    const s = change.spec;
    const result = await createByName('target group', s.name, () =>
      call('CreateTargetGroup', s.name, () =>
        client.send(
          new CreateTargetGroupCommand({
            Name: s.name,
            Protocol: s.protocol,
            ...(s.protocolVersion ? { ProtocolVersion: s.protocolVersion } : {}),
            Port: s.port,
            VpcId: change.vpcId,
            TargetType: s.targetType,
            IpAddressType: s.ipAddressType,
            ...toSdkHealthCheck(s.healthCheckConfig),
            Tags: tagsArray(s.tags),
          }),
        ),
      ),
    );
    const arn = result.TargetGroups?.[0]?.TargetGroupArn ?? '';
    // idempotent by name: the answer may be someone else's target group (elbv2-stacks-ownership.ts)
    await assertOwned(client, call, 'target group', s.name, arn, s.tags);
    if (s.targetGroupAttributes.length > 0) {
      await call('ModifyTargetGroupAttributes', arn, () =>
        client.send(
          new ModifyTargetGroupAttributesCommand({
            TargetGroupArn: arn,
            Attributes: sdkAttributes(s.targetGroupAttributes),
          }),
        ),
      );
    }
    return { arn };
  },

  async modifyTargetGroup(client, call, change) {
    await call('ModifyTargetGroup', change.arn, () =>
      client.send(
        new ModifyTargetGroupCommand({ TargetGroupArn: change.arn, ...toSdkHealthCheck(change.healthCheck) }),
      ),
    );
    return {};
  },

  async modifyTargetGroupAttributes(client, call, change) {
    await call('ModifyTargetGroupAttributes', change.arn, () =>
      client.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: change.arn,
          Attributes: sdkAttributes(change.attributes),
        }),
      ),
    );
    return {};
  },

  async deleteTargetGroup(client, call, change) {
    await ignoreNotFound(
      call('DeleteTargetGroup', change.arn, () =>
        client.send(new DeleteTargetGroupCommand({ TargetGroupArn: change.arn })),
      ),
    );
    return {};
  },
};
