/**
 * The `wipe` step: every item of slbc's DynamoDB table deleted, as if the state were lost
 * (a restored-empty table, a wrong table name in a deploy). Scan by key, BatchWriteItem in 25s,
 * unprocessed items retried, so nothing survives.
 */
import { BatchWriteItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

const BATCH = 25;

/** Deletes every item; returns how many there were. */
export async function wipeTable(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  const keys: Record<string, unknown>[] = [];
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    keys.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  for (let index = 0; index < keys.length; index += BATCH) {
    let requests = keys.slice(index, index + BATCH).map((key) => ({ DeleteRequest: { Key: key as never } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`wipe: ${tableName} kept refusing ${requests.length} deletes`);
      const answer = await dynamodb.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      const left = answer.UnprocessedItems?.[tableName] ?? [];
      deleted += requests.length - left.length;
      requests = left as typeof requests;
    }
  }
  return deleted;
}
