/**
 * DynamoDB is dynalite, a real DynamoDB implementation on LevelDB, answering on the same
 * endpoint as the other services: the server hands it the untouched request (JSON 1.0,
 * `X-Amz-Target: DynamoDB_20120810.*`). Tables change state at once (no CREATING delay) so
 * tests need no waiters. dynalite has no transactions and no TTL (see the design brief).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CONDITIONAL_WRITES, readAll, replayOf, wantsOldItem, withOldItemOnFailure } from './old-item.js';

type Dynalite = (options: Record<string, unknown>) => Server;

// dynalite ships no types; loading it through require keeps it out of the module graph's typing.
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

export interface LocalDynamoDb {
  /** answers one DynamoDB request; the body must not have been read yet */
  handle(req: IncomingMessage, res: ServerResponse): void;
  stop(): Promise<void>;
}

/**
 * Starts dynalite in this process. With `dataDir` tables persist across restarts; without it
 * they live in memory. Its own listener is bound to an ephemeral loopback port only so that
 * closing it also closes the store; requests reach it through `handle`, not that port.
 */
export async function startDynamoDb(dataDir?: string): Promise<LocalDynamoDb> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir === undefined ? {} : { path: dataDir }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const listener = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  const port = (server.address() as AddressInfo).port;
  return {
    handle(req, res) {
      const action = String(req.headers['x-amz-target'] ?? '').slice(DYNAMODB_TARGET_PREFIX.length);
      if (!CONDITIONAL_WRITES.has(action)) return listener(req, res);
      void readAll(req).then(
        (body) =>
          wantsOldItem(body)
            ? withOldItemOnFailure(port, req, res, action, body)
            : listener(replayOf(req, body), res),
        () => res.destroy(),
      );
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
