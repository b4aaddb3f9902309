/**
 * DynamoDB API reference (PutItem, UpdateItem, DeleteItem): with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`, a ConditionalCheckFailedException carries the
 * item's attributes (`Item`); with NONE, or when there is no item, it carries none. dynalite
 * alone never returns it; the local endpoint adds it.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejection, useLocalAws } from './harness.js';

describe('ReturnValuesOnConditionCheckFailure (SDK)', () => {
  const local = useLocalAws();
  const db = () => new DynamoDBClient(local.config);
  const stored = { pk: { S: 'a' }, sk: { S: '1' }, v: { N: '7' } };
  const key = { pk: { S: 'a' }, sk: { S: '1' } };

  beforeAll(async () => {
    await db().send(
      new CreateTableCommand({
        TableName: 'old-item',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await db().send(new PutItemCommand({ TableName: 'old-item', Item: stored }));
  });

  const failing = (returnValues: 'ALL_OLD' | 'NONE' | undefined, on = key) => {
    const extra = returnValues === undefined ? {} : { ReturnValuesOnConditionCheckFailure: returnValues };
    return {
      put: new PutItemCommand({
        TableName: 'old-item',
        Item: { ...on, v: { N: '8' } },
        ConditionExpression: 'v = :six',
        ExpressionAttributeValues: { ':six': { N: '6' } },
        ...extra,
      }),
      update: new UpdateItemCommand({
        TableName: 'old-item',
        Key: on,
        UpdateExpression: 'SET v = :eight',
        ConditionExpression: 'v = :six',
        ExpressionAttributeValues: { ':six': { N: '6' }, ':eight': { N: '8' } },
        ...extra,
      }),
      delete: new DeleteItemCommand({
        TableName: 'old-item',
        Key: on,
        ConditionExpression: 'v = :six',
        ExpressionAttributeValues: { ':six': { N: '6' } },
        ...extra,
      }),
    };
  };

  it.each(['put', 'update', 'delete'] as const)(
    '%s with ALL_OLD: the failure carries the item',
    async (op) => {
      const error = await rejection(db().send(failing('ALL_OLD')[op] as PutItemCommand));
      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect(error['Item']).toEqual(stored);
    },
  );

  it.each([
    ['NONE', 'NONE' as const, key],
    ['no ReturnValuesOnConditionCheckFailure', undefined, key],
    ['ALL_OLD on an item that does not exist', 'ALL_OLD' as const, { pk: { S: 'zzz' }, sk: { S: '9' } }],
  ])('%s: the failure carries no item', async (_name, returnValues, on) => {
    const error = await rejection(db().send(failing(returnValues, on).update));
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error['Item']).toBeUndefined();
  });

  it('a write whose condition holds succeeds as before, ALL_OLD or not', async () => {
    await db().send(
      new UpdateItemCommand({
        TableName: 'old-item',
        Key: { pk: { S: 'b' }, sk: { S: '1' } },
        UpdateExpression: 'SET v = :one',
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    await db().send(new PutItemCommand({ TableName: 'old-item', Item: { pk: { S: 'c' }, sk: { S: '1' } } }));
  });
});
