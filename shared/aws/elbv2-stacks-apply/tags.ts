import { AddTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { tagsArray } from '../elbv2-stacks-convert.js';
import type { Appliers } from './applier.js';

/** Tags of any ELBv2 resource (load balancer, target group) by ARN: added or updated, never removed. */
export const tagAppliers: Appliers<'addTags'> = {
  async addTags(client, call, change) {
    await call('AddTags', change.arn, () =>
      client.send(new AddTagsCommand({ ResourceArns: [change.arn], Tags: tagsArray(change.tags) })),
    );
    return {};
  },
};
