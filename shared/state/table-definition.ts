import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { SlbcError } from '../errors.js';

/**
 * The one table every slbc function shares. Two string keys and no secondary index: each
 * record type chooses a partition key prefix (see keys.ts) so that every read is a GetItem or
 * a Query on one partition. serverless.yml and the local runtime both build the table from
 * this definition, so they cannot drift apart.
 */
export const KEY_SCHEMA: KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];

export const ATTRIBUTE_DEFINITIONS: AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
];

export const BILLING_MODE = 'PAY_PER_REQUEST' as const;

/** Epoch seconds. DynamoDB deletes expired items lazily (and dynalite never), so reads filter too. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const TABLE_DEFINITION = {
  KeySchema: KEY_SCHEMA,
  AttributeDefinitions: ATTRIBUTE_DEFINITIONS,
  BillingMode: BILLING_MODE,
  TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
} as const;

/**
 * Creates the table if it is missing and waits until it is ACTIVE. For the local runtime and
 * tests; in AWS the table comes from serverless.yml.
 */
export async function ensureTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: KEY_SCHEMA,
        AttributeDefinitions: ATTRIBUTE_DEFINITIONS,
        BillingMode: BILLING_MODE,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) {
      throw new SlbcError(`creating table ${tableName}: ${(error as Error).message}`, {
        cause: error,
        subject: { kind: 'Table', name: tableName },
      });
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (described.Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new SlbcError(`table ${tableName} did not become ACTIVE`, {
        subject: { kind: 'Table', name: tableName },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
