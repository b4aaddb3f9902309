import { keys } from './keys.js';
import type { Store } from './store.js';

/**
 * Which targets slbc registered in each target group, recorded BEFORE the RegisterTargets call:
 * if the call succeeds but its answer is lost, the record already says the target is ours, so
 * a later pass can deregister it. One small item per target (one write unit), plus a `#meta`
 * marker written the first time, so "nothing recorded yet" (ownership unknown: never
 * deregister) differs from "recorded, and none left".
 *
 * Targets are named `<id>:<port>`, as DescribeTargetHealth identifies them.
 */
const META = '#meta';

export interface OwnedTargets {
  /** false until slbc first recorded anything for this target group */
  known: boolean;
  targets: Set<string>;
}

export class Ownership {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async list(targetGroupArn: string): Promise<OwnedTargets> {
    const items = await this.store.query(keys.ownedPartition(targetGroupArn));
    const targets = new Set<string>();
    let known = false;
    for (const item of items) {
      if (item['sk'] === META) known = true;
      else targets.add(String(item['sk']));
    }
    return { known, targets };
  }

  /** Records targets as ours; call before registering them. Skips what is already recorded. */
  async record(targetGroupArn: string, targets: string[], already?: OwnedTargets): Promise<void> {
    const owned = already ?? (await this.list(targetGroupArn));
    const at = this.now();
    const puts = targets
      .filter((target) => !owned.targets.has(target))
      .map((target) => ({ ...keys.owned(targetGroupArn, target), at }));
    if (!owned.known) puts.push({ ...keys.owned(targetGroupArn, META), at });
    await this.store.batchWrite(puts, []);
  }

  /** Forgets targets; call after deregistering them. */
  async forget(targetGroupArn: string, targets: string[]): Promise<void> {
    await this.store.batchWrite(
      [],
      targets.map((target) => keys.owned(targetGroupArn, target)),
    );
  }

  /** Marks the target group as known with whatever is recorded (used when slbc created it). */
  async markKnown(targetGroupArn: string): Promise<void> {
    await this.store.put(
      { ...keys.owned(targetGroupArn, META), at: this.now() },
      { expression: 'attribute_not_exists(pk)' },
    );
  }

  /** Drops every record of a target group (it was deleted). */
  async clear(targetGroupArn: string): Promise<void> {
    const items = await this.store.query(keys.ownedPartition(targetGroupArn));
    await this.store.batchWrite(
      [],
      items.map((item) => ({ pk: String(item['pk']), sk: String(item['sk']) })),
    );
  }
}
