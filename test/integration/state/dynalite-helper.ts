import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../../shared/state/table-definition.js';

// dynalite ships no types; loaded through require so no ambient declaration is needed.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: Record<string, number>) => Server;

/** An in-process dynalite with the slbc table, on a free port. */
export async function startDynalite(tableName = 'slbc-test'): Promise<{
  dynamodb: DynamoDBClient;
  tableName: string;
  close: () => Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const dynamodb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
  });
  await ensureTable(dynamodb, tableName);
  return {
    dynamodb,
    tableName,
    close: async () => {
      dynamodb.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
