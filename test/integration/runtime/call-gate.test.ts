import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRuntimeClients, IN_FLIGHT_CALLS } from '../../../infra/local/runtime/clients.js';
import { useLocalAws } from '../local-aws/harness.js';

describe('the local runtime clients gate their calls before building them', () => {
  const local = useLocalAws();

  it(`lets at most ${IN_FLIGHT_CALLS} calls per client past it, and every call through`, async () => {
    process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
    const clients = createRuntimeClients({
      endpoint: local.aws.url,
      region: local.aws.region,
      onRegisterTargets: () => {},
    });
    // counts calls between serialization and the answer: what a waiting call would hold
    let built = 0;
    let most = 0;
    clients.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        built += 1;
        most = Math.max(most, built);
        try {
          return await next(args);
        } finally {
          built -= 1;
        }
      },
      { step: 'build', name: 'testInFlight' },
    );
    const calls = 300;
    const outcomes = await Promise.allSettled(
      Array.from({ length: calls }, () =>
        clients.dynamodb.send(new DescribeTableCommand({ TableName: 'absent' })),
      ),
    );
    // every call reached the endpoint and got its answer (the table does not exist)
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(calls).fill('rejected'));
    expect(
      outcomes.every(
        (outcome) =>
          outcome.status === 'rejected' && (outcome.reason as Error).name === 'ResourceNotFoundException',
      ),
    ).toBe(true);
    expect(most).toBe(IN_FLIGHT_CALLS);
    expect(built).toBe(0);
  });
});
