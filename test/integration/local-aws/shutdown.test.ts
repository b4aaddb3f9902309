/**
 * Stopping the endpoint under load (issue 14: the system benchmark crashed at shutdown with
 * "Database is closed" thrown inside dynalite). stop() must answer every call it already
 * received before DynamoDB's store closes, and refuse later ones with a clean error.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalAws } from '../../../infra/local/aws/index.js';

describe('local endpoint shutdown', () => {
  it('answers the DynamoDB writes in flight, then closes the store; none is cut off mid-write', async () => {
    const aws = await startLocalAws({ port: 0 });
    const dynamodb = new DynamoDBClient({
      region: aws.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'slbc',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      // Act: two hundred read-then-write calls under way when stop() begins
      const calls = Array.from({ length: 200 }, (_, n) => {
        const sent =
          n % 2 === 0
            ? dynamodb.send(new PutItemCommand({ TableName: 'slbc', Item: { pk: { S: `k${n}` } } }))
            : dynamodb.send(
                new UpdateItemCommand({
                  TableName: 'slbc',
                  Key: { pk: { S: `k${n}` } },
                  UpdateExpression: 'ADD v :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                }),
              );
        return sent.then(
          () => 'ok',
          (error: Error) => error.name,
        );
      });
      // each call is held 20 ms after the endpoint received it, so all are in flight at stop()
      aws.faults.add({ match: 'dynamodb:*', latencyMs: 20 });
      const received = aws.counters.snapshot().total;
      while (aws.counters.snapshot().total < received + 1) await new Promise((r) => setTimeout(r, 1));
      await aws.stop();
      const outcomes = await Promise.all(calls);
      // Assert: nothing thrown inside the store; every call either answered or refused cleanly
      expect(uncaught).toEqual([]);
      // every call the endpoint had received was answered in full, none refused or cut off
      const answered = aws.counters.snapshot().total - received;
      expect(answered).toBeGreaterThan(0);
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(answered);
      await expect(
        dynamodb.send(new GetItemCommand({ TableName: 'slbc', Key: { pk: { S: 'k0' } } })),
      ).rejects.toThrow();
    } finally {
      process.off('uncaughtException', onUncaught);
      dynamodb.destroy();
    }
  });
});
