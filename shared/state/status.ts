import { keys } from './keys.js';
import type { Store } from './store.js';

/**
 * Status records: what each Ingress or Service got (its load balancer's hostname and ARN).
 * The stacks function writes them; `slbc status` lists them.
 */
export interface StatusRecord {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  hostname: string;
  loadBalancerArn: string;
  updatedAt: string;
}

export class StatusRecords {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async put(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
    value: { hostname: string; loadBalancerArn: string },
  ): Promise<StatusRecord> {
    const record: StatusRecord = {
      cluster,
      kind,
      namespace,
      name,
      ...value,
      updatedAt: new Date(this.now()).toISOString(),
    };
    await this.store.put({
      pk: keys.statusPartition(cluster),
      sk: `${kind}/${namespace}/${name}`,
      doc: JSON.stringify(record),
    });
    return record;
  }

  async delete(cluster: string, kind: string, namespace: string, name: string): Promise<void> {
    await this.store.delete({ pk: keys.statusPartition(cluster), sk: `${kind}/${namespace}/${name}` });
  }

  async list(cluster: string): Promise<StatusRecord[]> {
    const items = await this.store.query(keys.statusPartition(cluster));
    return items.map((item) => JSON.parse(String(item['doc'])) as StatusRecord);
  }
}
