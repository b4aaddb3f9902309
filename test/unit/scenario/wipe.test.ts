/** The `wipe` step's table wipe against the local endpoint's DynamoDB (dynalite). */
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import { wipeTable } from '../../../infra/local/scenario/wipe.js';
import { ensureTable } from '../../../shared/state/table-definition.js';

let aws: LocalAws;
let dynamodb: DynamoDBClient;
const TABLE = 'slbc-wipe-test';

beforeAll(async () => {
  aws = await startLocalAws({ port: 0 });
  dynamodb = new DynamoDBClient({
    endpoint: aws.url,
    region: aws.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await ensureTable(dynamodb, TABLE);
});

afterAll(async () => {
  dynamodb.destroy();
  await aws.stop();
});

async function count(): Promise<number> {
  return (await dynamodb.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))).Count ?? -1;
}

describe('wipeTable', () => {
  it.each([0, 1, 25, 61])('deletes all of %i items and says how many', async (items) => {
    for (let index = 0; index < items; index++)
      await dynamodb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: `key#${index % 7}` }, sk: { S: `item#${index}` }, payload: { S: 'x'.repeat(50) } },
        }),
      );
    expect(await count()).toBe(items);
    expect(await wipeTable(dynamodb, TABLE)).toBe(items);
    expect(await count()).toBe(0);
  });

  it('names the table when it does not exist', async () => {
    await expect(wipeTable(dynamodb, 'no-such-table')).rejects.toThrow(
      /no-such-table|not found|non-existent/i,
    );
  });
});
