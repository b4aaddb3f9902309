import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '../../../infra/local/aws/index.js';
import { rejection, useLocalAws } from './harness.js';

const table = {
  TableName: 'slbc-test',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('local DynamoDB (dynalite) behind the same endpoint', () => {
  const local = useLocalAws();

  it('creates a table that is ACTIVE at once and stores items', async () => {
    const ddb = new DynamoDBClient(local.config);
    await ddb.send(new CreateTableCommand(table));
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table.TableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    await ddb.send(
      new PutItemCommand({ TableName: table.TableName, Item: { pk: { S: 'a' }, gen: { N: '1' } } }),
    );
    const { Item } = await ddb.send(
      new GetItemCommand({ TableName: table.TableName, Key: { pk: { S: 'a' } } }),
    );
    expect(Item).toEqual({ pk: { S: 'a' }, gen: { N: '1' } });
  });

  it('raises ConditionalCheckFailedException when a condition fails', async () => {
    const ddb = new DynamoDBClient(local.config);
    const error = await rejection(
      ddb.send(
        new PutItemCommand({
          TableName: table.TableName,
          Item: { pk: { S: 'a' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('raises ResourceNotFoundException for an unknown table', async () => {
    const error = await rejection(
      new DynamoDBClient(local.config).send(
        new GetItemCommand({ TableName: 'missing-table', Key: { pk: { S: 'a' } } }),
      ),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('counts DynamoDB calls by action', () => {
    expect(local.aws.counters.get('dynamodb', 'PutItem')).toBe(2);
  });
});

describe('local DynamoDB with a data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slbc-dynalite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps tables and items across a restart', async () => {
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    const first = await startLocalAws({ dataDir: dir });
    const before = new DynamoDBClient({ region: first.region, endpoint: first.url, credentials });
    await before.send(new CreateTableCommand(table));
    // as in AWS, a new table takes writes once ACTIVE (on disk, dynalite's switch can lag a little)
    while (
      (await before.send(new DescribeTableCommand({ TableName: table.TableName }))).Table?.TableStatus !==
      'ACTIVE'
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    await before.send(new PutItemCommand({ TableName: table.TableName, Item: { pk: { S: 'kept' } } }));
    await first.stop();

    const second = await startLocalAws({ dataDir: dir });
    try {
      const after = new DynamoDBClient({ region: second.region, endpoint: second.url, credentials });
      const { Item } = await after.send(
        new GetItemCommand({ TableName: table.TableName, Key: { pk: { S: 'kept' } } }),
      );
      expect(Item).toEqual({ pk: { S: 'kept' } });
    } finally {
      await second.stop();
    }
  });
});
