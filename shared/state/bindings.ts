import { InvalidInputError } from '../errors.js';
import * as z from '../zod.js';
import type { RecordedErrors } from './errors.js';
import { keys, reconcileKeys } from './keys.js';
import type { Store } from './store.js';

/**
 * Bindings: which Service port feeds which target group. The stacks function writes one per
 * target group it creates or adopts; the targets function reads it to reconcile. Stored twice:
 * under the target group ARN (what the `tg#<arn>` queue key names) and in a per-cluster index
 * sorted by Service, so "which bindings does this Service or Endpoints event affect" is one
 * Query, with no secondary index.
 */
export const BindingSchema = z.object({
  cluster: z.string().check(z.minLength(1)),
  targetGroupArn: z.string().check(z.minLength(1)),
  /** `ingress/<group>` or `service/<ns>/<name>` */
  stackKey: z.string().check(z.minLength(1)),
  service: z.object({
    namespace: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    port: z.union([z.string().check(z.minLength(1)), z.number().check(z.int(), z.positive())]),
  }),
  targetType: z.enum(['ip', 'instance']),
  createdBySlbc: z.boolean(),
  /**
   * The VPC's CIDRs, for ip target groups (written by stacks): a pod IP outside them is
   * registered with AvailabilityZone=all. Absent on bindings written before it existed.
   */
  vpcCidrs: z.optional(z.array(z.string().check(z.minLength(1)))),
  lastError: z.optional(z.string()),
  updatedAt: z.string(),
});
export type Binding = z.infer<typeof BindingSchema>;

export class Bindings {
  /**
   * `errors`: a binding's recorded errors (key `tg#<arn>`) go with it. Its target group is gone
   * by design, so an error such as TargetGroupNotFound from a pass that raced the deletion no
   * longer applies.
   */
  constructor(
    private readonly store: Store,
    private readonly errors?: Pick<RecordedErrors, 'clearForKey'>,
  ) {}

  async put(binding: Binding): Promise<void> {
    const parsed = BindingSchema.safeParse(binding);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new InvalidInputError(
        `binding for target group ${binding.targetGroupArn}: field ${field}: ${parsed.error.issues[0]?.message}`,
        { subject: { kind: 'TargetGroupBinding', name: binding.targetGroupArn, field } },
      );
    }
    const doc = JSON.stringify(parsed.data);
    const previous = await this.get(binding.targetGroupArn);
    await this.store.put({ ...keys.binding(binding.targetGroupArn), doc });
    await this.store.put({ ...indexKey(parsed.data), doc });
    // a binding re-pointed at another Service leaves no stale index entry behind
    if (previous !== undefined && indexKey(previous).sk !== indexKey(parsed.data).sk) {
      await this.store.delete(indexKey(previous));
    }
  }

  async get(targetGroupArn: string): Promise<Binding | undefined> {
    const item = await this.store.get(keys.binding(targetGroupArn));
    return typeof item?.['doc'] === 'string' ? (JSON.parse(item['doc']) as Binding) : undefined;
  }

  async delete(targetGroupArn: string): Promise<void> {
    const binding = await this.get(targetGroupArn);
    if (binding === undefined) return;
    await this.store.delete(indexKey(binding));
    await this.store.delete(keys.binding(targetGroupArn));
    await this.errors?.clearForKey(reconcileKeys.targetGroup(targetGroupArn));
  }

  /**
   * Sets or clears lastError (the recorded-errors module keeps the detail). A pass records its
   * error first, then calls this: when the binding was deleted meanwhile, the error it just
   * recorded is about a target group removed by design, and is cleared.
   */
  async setLastError(targetGroupArn: string, lastError: string | undefined): Promise<void> {
    const binding = await this.get(targetGroupArn);
    if (binding === undefined) {
      if (lastError !== undefined) await this.errors?.clearForKey(reconcileKeys.targetGroup(targetGroupArn));
      return;
    }
    if (binding.lastError === lastError) return;
    const { lastError: _old, ...rest } = binding;
    await this.put(lastError === undefined ? rest : { ...rest, lastError });
  }

  async list(cluster: string): Promise<Binding[]> {
    return this.queryIndex(cluster, '');
  }

  /** Bindings fed by this Service (and so by its Endpoints). */
  async forService(cluster: string, namespace: string, name: string): Promise<Binding[]> {
    return this.queryIndex(cluster, `${namespace}/${name}#`);
  }

  /** Bindings whose Service lives in this namespace (candidates for a Pod event). */
  async forNamespace(cluster: string, namespace: string): Promise<Binding[]> {
    return this.queryIndex(cluster, `${namespace}/`);
  }

  /** Bindings a Node event can affect: those registering instances. */
  async forNodes(cluster: string): Promise<Binding[]> {
    return (await this.list(cluster)).filter((binding) => binding.targetType === 'instance');
  }

  private async queryIndex(cluster: string, prefix: string): Promise<Binding[]> {
    const items = await this.store.query(keys.bindingIndexPartition(cluster), { skPrefix: prefix });
    return items.flatMap((item) =>
      typeof item['doc'] === 'string' ? [JSON.parse(item['doc']) as Binding] : [],
    );
  }
}

function indexKey(binding: Binding) {
  return keys.bindingIndex(
    binding.cluster,
    binding.service.namespace,
    binding.service.name,
    binding.targetGroupArn,
  );
}
