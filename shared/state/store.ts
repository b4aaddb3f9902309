import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type ConsumedCapacity,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RetryableError, SlbcError } from '../errors.js';

/**
 * The narrow port over DynamoDB that every state module uses: single-item reads, batched
 * reads of known keys, conditional single-item writes and a paginated Query.
 * No transactions (dynalite has none). Values are plain scalars; nested documents are stored
 * as JSON strings by the modules that own them, so the codec stays ten lines long.
 *
 * Every call asks for ReturnConsumedCapacity TOTAL and adds it to `capacity`, so tests and
 * benchmarks can report the read and write units a workload costs.
 */
export type Scalar = string | number | boolean | Uint8Array;
export type Item = Record<string, Scalar>;
export interface Key {
  pk: string;
  sk: string;
}

export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, Scalar>;
}

export interface UpdateSpec {
  set?: Record<string, Scalar>;
  /** atomic numeric ADD */
  add?: Record<string, number>;
  remove?: string[];
  condition?: Condition;
}

export interface ReadOptions {
  consistent?: boolean;
  /** only these attributes of each item (a ProjectionExpression) */
  attributes?: readonly string[];
}

/** A ProjectionExpression for `attributes`, every name through a placeholder (no reserved words). */
function projection(attributes: readonly string[] | undefined, names: Record<string, string> = {}) {
  if (attributes === undefined) return {};
  const placeholders = attributes.map((attribute, index) => {
    names[`#a${index}`] = attribute;
    return `#a${index}`;
  });
  return { ProjectionExpression: placeholders.join(', '), ExpressionAttributeNames: names };
}

export interface QuerySpec {
  /** only these attributes of each item (a ProjectionExpression) */
  attributes?: readonly string[];
  skPrefix?: string;
  descending?: boolean;
  /** stop after this many items (all pages otherwise) */
  limit?: number;
  consistent?: boolean;
}

export interface Capacity {
  readUnits: number;
  writeUnits: number;
  calls: number;
}

export interface Store {
  readonly tableName: string;
  readonly capacity: Capacity;
  /** `attributes`: only these (a ProjectionExpression): less to send and decode, same units */
  get(key: Key, options?: ReadOptions): Promise<Item | undefined>;
  /**
   * Many known keys in BatchGetItem calls of at most 100 (unprocessed keys asked again): one
   * round trip where a loop of GetItem would make one per key. Answers in the order of `keys`,
   * undefined where no item exists.
   */
  batchGet(keys: readonly Key[], options?: { consistent?: boolean }): Promise<(Item | undefined)[]>;
  /** false when the condition did not hold */
  put(item: Item & Key, condition?: Condition): Promise<boolean>;
  /** applied=false when the condition did not hold; item is the whole item after the update */
  update(key: Key, spec: UpdateSpec): Promise<{ applied: boolean; item?: Item }>;
  delete(key: Key, condition?: Condition): Promise<boolean>;
  query(pk: string, spec?: QuerySpec): Promise<Item[]>;
}

export function toAttribute(value: Scalar): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  return { B: value };
}

export function fromAttribute(value: AttributeValue): Scalar | undefined {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.B !== undefined) return value.B;
  return undefined;
}

export function toAttributes(item: Record<string, Scalar>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) out[name] = toAttribute(value);
  return out;
}

export function fromAttributes(attributes: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(attributes)) {
    const scalar = fromAttribute(value);
    if (scalar !== undefined) out[name] = scalar;
  }
  return out;
}

/** BatchGetItem takes at most 100 keys; unprocessed keys are asked again this many times in all. */
const BATCH_GET_MAX = 100;
const BATCH_GET_ATTEMPTS = 8;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);

/** SDK failures become our error types: transient ones retryable, the rest plain SlbcErrors. */
export function translateDynamoError(error: unknown, what: string): SlbcError {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `DynamoDB ${what}: ${name} ${(error as Error).message ?? ''}`.trim();
  const subject = { kind: 'DynamoDB', name: what };
  if (THROTTLING.has(name) || (status !== undefined && status >= 500) || status === undefined) {
    return new RetryableError(message, { cause: error, subject });
  }
  return new SlbcError(message, { cause: error, subject });
}

export function createStore(dynamodb: DynamoDBClient, tableName: string): Store {
  const capacity: Capacity = { readUnits: 0, writeUnits: 0, calls: 0 };
  const count = (consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, kind: 'read' | 'write') => {
    capacity.calls += 1;
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    for (const entry of list) {
      const units = entry.CapacityUnits ?? 0;
      if (kind === 'read') capacity.readUnits += units;
      else capacity.writeUnits += units;
    }
  };

  // DynamoDB charges a failed conditional write as a write of at least one unit.
  const countFailedCondition = () => {
    capacity.calls += 1;
    capacity.writeUnits += 1;
  };

  const withNames = (condition: Condition | undefined) => ({
    ...(condition === undefined ? {} : { ConditionExpression: condition.expression }),
    ...(condition?.names === undefined ? {} : { ExpressionAttributeNames: condition.names }),
    ...(condition?.values === undefined ? {} : { ExpressionAttributeValues: toAttributes(condition.values) }),
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw translateDynamoError(error, what);
    }
  }

  return {
    tableName,
    capacity,

    async get(key, options = {}) {
      const result = await call('GetItem', () =>
        dynamodb.send(
          new GetItemCommand({
            TableName: tableName,
            Key: toAttributes({ pk: key.pk, sk: key.sk }),
            ConsistentRead: options.consistent ?? true,
            ReturnConsumedCapacity: 'TOTAL',
            ...projection(options.attributes),
          }),
        ),
      );
      count(result.ConsumedCapacity, 'read');
      return result.Item === undefined ? undefined : fromAttributes(result.Item);
    },

    async batchGet(keys, options = {}) {
      const found = new Map<string, Item>();
      const idOf = (pk: unknown, sk: unknown) => `${String(pk)}\u0000${String(sk)}`;
      const unique = [...new Map(keys.map((key) => [idOf(key.pk, key.sk), key])).values()];
      for (let start = 0; start < unique.length; start += BATCH_GET_MAX) {
        let pending: Record<string, AttributeValue>[] = unique
          .slice(start, start + BATCH_GET_MAX)
          .map((key) => toAttributes({ pk: key.pk, sk: key.sk }));
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt >= BATCH_GET_ATTEMPTS) {
            throw new RetryableError(
              `DynamoDB BatchGetItem: ${pending.length} keys still unprocessed after ${BATCH_GET_ATTEMPTS} attempts`,
              { subject: { kind: 'DynamoDB', name: 'BatchGetItem' } },
            );
          }
          // DynamoDB answers unprocessed keys under throttling: back off before asking again
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
          const result = await call('BatchGetItem', () =>
            dynamodb.send(
              new BatchGetItemCommand({
                RequestItems: {
                  [tableName]: { Keys: pending, ConsistentRead: options.consistent ?? true },
                },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            ),
          );
          count(result.ConsumedCapacity, 'read');
          for (const attributes of result.Responses?.[tableName] ?? []) {
            const item = fromAttributes(attributes);
            found.set(idOf(item['pk'], item['sk']), item);
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return keys.map((key) => found.get(idOf(key.pk, key.sk)));
    },

    async put(item, condition) {
      try {
        const result = await call('PutItem', () =>
          dynamodb.send(
            new PutItemCommand({
              TableName: tableName,
              Item: toAttributes(item),
              ReturnConsumedCapacity: 'TOTAL',
              ...withNames(condition),
            }),
          ),
        );
        count(result.ConsumedCapacity, 'write');
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          countFailedCondition();
          return false;
        }
        throw error;
      }
    },

    async update(key, spec) {
      const names: Record<string, string> = { ...(spec.condition?.names ?? {}) };
      const values: Record<string, Scalar> = { ...(spec.condition?.values ?? {}) };
      const clauses: string[] = [];
      let index = 0;
      const name = (attribute: string) => {
        const placeholder = `#u${index}`;
        names[placeholder] = attribute;
        return placeholder;
      };
      const value = (scalar: Scalar) => {
        const placeholder = `:u${index}`;
        values[placeholder] = scalar;
        index += 1;
        return placeholder;
      };
      const sets = Object.entries(spec.set ?? {}).map(
        ([attribute, scalar]) => `${name(attribute)} = ${value(scalar)}`,
      );
      if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
      const adds = Object.entries(spec.add ?? {}).map(
        ([attribute, delta]) => `${name(attribute)} ${value(delta)}`,
      );
      if (adds.length > 0) clauses.push(`ADD ${adds.join(', ')}`);
      const removes = (spec.remove ?? []).map((attribute) => {
        const placeholder = name(attribute);
        index += 1;
        return placeholder;
      });
      if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
      try {
        const result = await call('UpdateItem', () =>
          dynamodb.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: toAttributes({ pk: key.pk, sk: key.sk }),
              UpdateExpression: clauses.join(' '),
              ...(spec.condition === undefined ? {} : { ConditionExpression: spec.condition.expression }),
              ExpressionAttributeNames: names,
              ...(Object.keys(values).length === 0
                ? {}
                : { ExpressionAttributeValues: toAttributes(values) }),
              ReturnValues: 'ALL_NEW',
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        );
        count(result.ConsumedCapacity, 'write');
        return {
          applied: true,
          ...(result.Attributes === undefined ? {} : { item: fromAttributes(result.Attributes) }),
        };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          countFailedCondition();
          return { applied: false };
        }
        throw error;
      }
    },

    async delete(key, condition) {
      try {
        const result = await call('DeleteItem', () =>
          dynamodb.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: toAttributes({ pk: key.pk, sk: key.sk }),
              ReturnConsumedCapacity: 'TOTAL',
              ...withNames(condition),
            }),
          ),
        );
        count(result.ConsumedCapacity, 'write');
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          countFailedCondition();
          return false;
        }
        throw error;
      }
    },

    async query(pk, spec = {}) {
      const items: Item[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      const values: Record<string, Scalar> = { ':pk': pk };
      let keyCondition = '#pk = :pk';
      const names: Record<string, string> = { '#pk': 'pk' };
      if (spec.skPrefix !== undefined && spec.skPrefix !== '') {
        keyCondition += ' AND begins_with(#sk, :prefix)';
        names['#sk'] = 'sk';
        values[':prefix'] = spec.skPrefix;
      }
      do {
        const result = await call('Query', () =>
          dynamodb.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: keyCondition,
              ExpressionAttributeNames: names,
              ...projection(spec.attributes, names),
              ExpressionAttributeValues: toAttributes(values),
              ScanIndexForward: !(spec.descending ?? false),
              ConsistentRead: spec.consistent ?? true,
              ReturnConsumedCapacity: 'TOTAL',
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
              ...(spec.limit === undefined ? {} : { Limit: spec.limit - items.length }),
            }),
          ),
        );
        count(result.ConsumedCapacity, 'read');
        for (const item of result.Items ?? []) items.push(fromAttributes(item));
        startKey = result.LastEvaluatedKey;
      } while (startKey !== undefined && (spec.limit === undefined || items.length < spec.limit));
      return items;
    },
  };
}

/** Epoch seconds for expiresAt, `days` from `nowMs`. */
export function expiryAfterDays(nowMs: number, days: number): number {
  return Math.floor(nowMs / 1000) + Math.round(days * 86_400);
}

/** True when an item's expiresAt has passed: DynamoDB TTL is lazy and dynalite has none. */
export function isExpired(item: Item, nowMs: number): boolean {
  const expiresAt = item['expiresAt'];
  return typeof expiresAt === 'number' && expiresAt * 1000 <= nowMs;
}
