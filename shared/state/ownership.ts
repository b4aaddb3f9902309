import { gunzipSync, gzipSync } from 'node:zlib';
import { ConflictError } from '../errors.js';
import { keys } from './keys.js';
import type { Item, Store } from './store.js';

/**
 * Which targets slbc registered in each target group, recorded BEFORE the RegisterTargets call:
 * if the call succeeds but its answer is lost, the record already says the target is ours, so
 * a later pass can deregister it. Targets are named `<id>:<port>`, as DescribeTargetHealth
 * identifies them.
 *
 * One item per target group holds the whole set, gzipped (1000 targets fit in a few KB), so a
 * pass that registers or deregisters many targets costs one write, not one per target. The
 * item's existence is what makes ownership "known": with no item, slbc never deregisters.
 * Writes are conditional on the item's revision; the work-queue lease already serialises the
 * writers of one target group, so a conflict means a lease was lost and is retried.
 */
export interface OwnedTargets {
  /** false until slbc first recorded anything for this target group */
  known: boolean;
  targets: Set<string>;
  /** the item revision read (0 when absent) */
  rev: number;
}

const SK = 'targets';

export class Ownership {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async list(targetGroupArn: string): Promise<OwnedTargets> {
    const item = await this.store.get({ pk: keys.ownedPartition(targetGroupArn), sk: SK });
    if (item === undefined) return { known: false, targets: new Set(), rev: 0 };
    return { known: true, targets: new Set(decode(item)), rev: Number(item['rev'] ?? 0) };
  }

  /** Records targets as ours; call before registering them. Writes nothing if all are recorded. */
  async record(targetGroupArn: string, targets: string[], already?: OwnedTargets): Promise<OwnedTargets> {
    return this.change(targetGroupArn, already, (set) => {
      for (const target of targets) set.add(target);
    });
  }

  /** Forgets targets; call after deregistering them. */
  async forget(targetGroupArn: string, targets: string[], already?: OwnedTargets): Promise<OwnedTargets> {
    return this.change(targetGroupArn, already, (set) => {
      for (const target of targets) set.delete(target);
    });
  }

  /** Drops the record of a target group (it was deleted). */
  async clear(targetGroupArn: string): Promise<void> {
    await this.store.delete({ pk: keys.ownedPartition(targetGroupArn), sk: SK });
  }

  private async change(
    targetGroupArn: string,
    already: OwnedTargets | undefined,
    edit: (set: Set<string>) => void,
  ): Promise<OwnedTargets> {
    let current = already ?? (await this.list(targetGroupArn));
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const next = new Set(current.targets);
      edit(next);
      if (current.known && sameSet(next, current.targets)) return current;
      const item: Item & { pk: string; sk: string } = {
        pk: keys.ownedPartition(targetGroupArn),
        sk: SK,
        set: gzipSync(JSON.stringify([...next].sort())),
        count: next.size,
        rev: current.rev + 1,
        at: this.now(),
      };
      const written = await this.store.put(
        item,
        current.known
          ? { expression: '#rev = :rev', names: { '#rev': 'rev' }, values: { ':rev': current.rev } }
          : { expression: 'attribute_not_exists(pk)' },
      );
      if (written) return { known: true, targets: next, rev: current.rev + 1 };
      current = await this.list(targetGroupArn);
    }
    throw new ConflictError(`ownership record of target group ${targetGroupArn} kept changing under us`, {
      subject: { kind: 'TargetGroup', name: targetGroupArn },
    });
  }
}

function decode(item: Item): string[] {
  const set = item['set'];
  return set instanceof Uint8Array ? (JSON.parse(gunzipSync(set).toString('utf8')) as string[]) : [];
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value));
}
