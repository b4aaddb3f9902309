import type {
  Capacity,
  Condition,
  Item,
  Key,
  QuerySpec,
  Scalar,
  Store,
  UpdateSpec,
} from '../../shared/state/store.js';

/**
 * The state Store in memory, for fast unit tests of route and pass logic: the same interface
 * and the same conditional semantics as the DynamoDB store (a failed condition writes nothing
 * and answers false; update creates a missing item, ADD starts from 0, answers the whole new
 * item), over the condition grammar the state modules use:
 *   attribute_exists(a) | attribute_not_exists(a) | a (= <> < <= > >=) :v, joined by AND / OR
 * (AND binds tighter; no parentheses). Anything else throws, naming the expression, so a new
 * condition cannot pass here by accident. The dynalite integration tests stay the reference.
 */
export function memoryStore(tableName = 'memory'): Store & { items(): Item[] } {
  const capacity: Capacity = { readUnits: 0, writeUnits: 0, calls: 0 };
  const table = new Map<string, Item>();
  const id = (key: Key) => JSON.stringify([key.pk, key.sk]);
  const copy = (item: Item): Item => ({ ...item });
  const read = () => {
    capacity.calls += 1;
    capacity.readUnits += 1;
  };
  const write = () => {
    capacity.calls += 1;
    capacity.writeUnits += 1;
  };
  const holds = (condition: Condition | undefined, item: Item | undefined) =>
    condition === undefined || evaluate(condition, item ?? {});

  return {
    tableName,
    capacity,
    items: () => [...table.values()].map(copy),
    async get(key, options = {}) {
      read();
      const item = table.get(id(key));
      return item === undefined ? undefined : project(copy(item), options.attributes);
    },
    async batchGet(keys) {
      read();
      return keys.map((key) => {
        const item = table.get(id(key));
        return item === undefined ? undefined : copy(item);
      });
    },
    async put(item, condition) {
      write();
      if (!holds(condition, table.get(id(item)))) return false;
      table.set(id(item), copy(item));
      return true;
    },
    async update(key, spec: UpdateSpec) {
      write();
      const current = table.get(id(key));
      if (!holds(spec.condition, current)) return { applied: false };
      const next: Item = { ...(current ?? {}), pk: key.pk, sk: key.sk, ...(spec.set ?? {}) };
      for (const [attribute, delta] of Object.entries(spec.add ?? {})) {
        const before = next[attribute] ?? 0;
        if (typeof before !== 'number') throw new Error(`memory store: ADD to non-number ${attribute}`);
        next[attribute] = before + delta;
      }
      for (const attribute of spec.remove ?? []) delete next[attribute];
      table.set(id(key), next);
      return { applied: true, item: copy(next) };
    },
    async delete(key, condition) {
      write();
      if (!holds(condition, table.get(id(key)))) return false;
      table.delete(id(key));
      return true;
    },
    async query(pk, spec: QuerySpec = {}) {
      read();
      const prefix = spec.skPrefix ?? '';
      const matching = [...table.values()]
        .filter((item) => item['pk'] === pk && String(item['sk']).startsWith(prefix))
        .sort((a, b) => compareBytes(String(a['sk']), String(b['sk'])));
      if (spec.descending) matching.reverse();
      return (spec.limit === undefined ? matching : matching.slice(0, spec.limit)).map((item) =>
        project(copy(item), spec.attributes),
      );
    },
  };
}

/** A ProjectionExpression: only the named attributes (DynamoDB returns the key only if named). */
function project(item: Item, attributes: readonly string[] | undefined): Item {
  if (attributes === undefined) return item;
  return Object.fromEntries(Object.entries(item).filter(([name]) => attributes.includes(name)));
}

/** DynamoDB orders string sort keys by their UTF-8 bytes. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function evaluate(condition: Condition, item: Item): boolean {
  const name = (token: string) => {
    const resolved = token.startsWith('#') ? condition.names?.[token] : token;
    if (resolved === undefined)
      throw new Error(`memory store: ${condition.expression}: unknown name ${token}`);
    return resolved;
  };
  const value = (token: string): Scalar => {
    const resolved = condition.values?.[token];
    if (resolved === undefined)
      throw new Error(`memory store: ${condition.expression}: unknown value ${token}`);
    return resolved;
  };
  const atom = (text: string): boolean => {
    const fn = /^attribute_(not_exists|exists)\(\s*([#\w]+)\s*\)$/.exec(text);
    if (fn) return (item[name(fn[2] ?? '')] === undefined) === (fn[1] === 'not_exists');
    const comparison = /^([#\w]+)\s*(=|<>|<=|>=|<|>)\s*(:\w+)$/.exec(text);
    if (!comparison) throw new Error(`memory store: unsupported condition ${condition.expression}`);
    const left = item[name(comparison[1] ?? '')];
    const right = value(comparison[3] ?? '');
    if (left === undefined) return comparison[2] === '<>';
    switch (comparison[2]) {
      case '=':
        return left === right;
      case '<>':
        return left !== right;
      case '<':
        return left < right;
      case '<=':
        return left <= right;
      case '>':
        return left > right;
      default:
        return left >= right;
    }
  };
  return condition.expression
    .split(/\s+OR\s+/)
    .some((conjunction) => conjunction.split(/\s+AND\s+/).every((text) => atom(text.trim())));
}
