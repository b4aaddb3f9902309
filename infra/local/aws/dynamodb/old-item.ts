/**
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`, which dynalite ignores. DynamoDB (API reference,
 * PutItem/UpdateItem/DeleteItem): "Use ReturnValuesOnConditionCheckFailure to get the item
 * attributes if the ... condition fails. For ReturnValuesOnConditionCheckFailure, the valid
 * values are: NONE and ALL_OLD"; the ConditionalCheckFailedException then carries `Item`, the
 * item as it was when the condition was checked. Such a call goes to dynalite through its own
 * loopback port so its answer can be read; on that failure the item is read back (consistent
 * GetItem of the call's key) and added to the error. Between the check and the read another
 * writer may slip in: the Item can then be newer than the one checked, never older.
 */
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export const CONDITIONAL_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** the request again, body already read, for dynalite's own handler */
export function replayOf(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), {
    headers: req.headers,
    url: req.url,
    method: req.method,
  }) as unknown as IncomingMessage;
}

export function wantsOldItem(body: Buffer): boolean {
  if (!body.includes('ReturnValuesOnConditionCheckFailure')) return false;
  try {
    return (
      (JSON.parse(body.toString('utf8')) as Record<string, unknown>)[
        'ReturnValuesOnConditionCheckFailure'
      ] === 'ALL_OLD'
    );
  } catch {
    return false;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function call(
  port: number,
  headers: IncomingMessage['headers'],
  target: string,
  body: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const forwarded: Record<string, string> = {};
    for (const name of ['authorization', 'x-amz-date', 'content-type'])
      if (typeof headers[name] === 'string') forwarded[name] = headers[name] as string;
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { ...forwarded, 'x-amz-target': target },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 500,
            headers: {
              'content-type': String(response.headers['content-type'] ?? 'application/x-amz-json-1.0'),
            },
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function keyOf(port: number, req: IncomingMessage, input: Record<string, unknown>): Promise<unknown> {
  if (input['Key'] !== undefined) return input['Key'];
  const described = await call(
    port,
    req.headers,
    'DynamoDB_20120810.DescribeTable',
    JSON.stringify({ TableName: input['TableName'] }),
  );
  const schema = (JSON.parse(described.body) as { Table?: { KeySchema?: { AttributeName: string }[] } }).Table
    ?.KeySchema;
  const item = (input['Item'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries((schema ?? []).map(({ AttributeName }) => [AttributeName, item[AttributeName]]));
}

export async function withOldItemOnFailure(
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
  action: string,
  body: Buffer,
): Promise<void> {
  try {
    const text = body.toString('utf8');
    const answer = await call(port, req.headers, `DynamoDB_20120810.${action}`, text);
    let out = answer.body;
    if (answer.status === 400 && out.includes('ConditionalCheckFailedException')) {
      const input = JSON.parse(text) as Record<string, unknown>;
      const got = await call(
        port,
        req.headers,
        'DynamoDB_20120810.GetItem',
        JSON.stringify({
          TableName: input['TableName'],
          Key: await keyOf(port, req, input),
          ConsistentRead: true,
        }),
      );
      const item = (JSON.parse(got.body) as { Item?: unknown }).Item;
      if (item !== undefined) out = JSON.stringify({ ...(JSON.parse(out) as object), Item: item });
    }
    res.writeHead(answer.status, {
      'content-type': answer.headers['content-type'] ?? 'application/x-amz-json-1.0',
    });
    res.end(out);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: String(error),
      }),
    );
  }
}
