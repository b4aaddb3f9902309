/** HTTP plumbing of the simulated Kubernetes API: errors as Kubernetes Status objects, bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '../patch.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(
            new HttpError(
              413,
              'RequestEntityTooLarge',
              `request bodies are limited to ${MAX_BODY_BYTES} bytes`,
            ),
          )
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** A JSON request body (YAML for server-side apply is parsed by the caller). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

export function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
}

/**
 * Applies a PATCH body by its content type, as the API server does: 415 for a type it does not
 * take, 422 naming `subject` (e.g. `Pod "web-1"`) for a patch that does not apply.
 */
export function applyPatch(current: unknown, body: unknown, contentType: string, subject: string): unknown {
  try {
    if (contentType === 'application/merge-patch+json') return applyMergePatch(current, body);
    if (contentType === 'application/strategic-merge-patch+json')
      return applyStrategicMergePatch(current, body);
    if (contentType === 'application/json-patch+json') return applyJsonPatch(current, body);
  } catch (error) {
    if (error instanceof PatchError) throw new HttpError(422, 'Invalid', `${subject}: ${error.message}`);
    throw error;
  }
  throw new HttpError(
    415,
    'UnsupportedMediaType',
    `the patch content type ${contentType || '(none)'} is not supported; use application/merge-patch+json, application/strategic-merge-patch+json or application/json-patch+json`,
  );
}
