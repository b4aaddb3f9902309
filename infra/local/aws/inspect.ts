/**
 * The endpoint's own HTTP API under `/_local/`, for scripts, the CLI and tests in other
 * processes (in-process code calls the same functions on the LocalAws object):
 *
 *   GET    /_local/health            liveness and the services served
 *   GET    /_local/counters          calls per service and action, mutating ELBv2 calls
 *   POST   /_local/counters/reset
 *   GET    /_local/state             every service's state as JSON
 *   GET    /_local/faults            active fault rules
 *   POST   /_local/faults            add a rule, or { rules: [...], seed? }
 *   DELETE /_local/faults            remove every rule
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counters } from './counters.js';
import { type Faults, faultConfigSchema } from './faults.js';

export interface Inspectable {
  counters: Counters;
  faults: Faults;
  dump(): unknown;
  serviceNames: readonly string[];
}

export async function handleInspection(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: () => Promise<string>,
  target: Inspectable,
): Promise<void> {
  const [status, value] = await answer(`${req.method} ${path.replace(/\/+$/, '')}`, body, target);
  const text = JSON.stringify(value, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answer(
  route: string,
  body: () => Promise<string>,
  target: Inspectable,
): Promise<[number, unknown]> {
  switch (route) {
    case 'GET /_local/health':
      return [200, { status: 'ok', services: target.serviceNames }];
    case 'GET /_local/counters':
      return [200, target.counters.snapshot()];
    case 'POST /_local/counters/reset':
      target.counters.reset();
      return [200, { reset: true }];
    case 'GET /_local/state':
      return [200, target.dump()];
    case 'GET /_local/faults':
      return [200, { rules: target.faults.list() }];
    case 'DELETE /_local/faults':
      target.faults.clear();
      return [200, { cleared: true }];
    case 'POST /_local/faults':
      return addFaults(await body(), target.faults);
    default:
      return [404, { error: `no local API ${route}; see GET /_local/health` }];
  }
}

function addFaults(text: string, faults: Faults): [number, unknown] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return [400, { error: `the body is not JSON: ${(cause as Error).message}` }];
  }
  const parsed = faultConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    return [400, { error: `invalid fault rule: ${problems.join('; ')}` }];
  }
  const config = parsed.data;
  if ('rules' in config) {
    if (config.seed !== undefined) faults.reseed(config.seed);
    return [200, { ids: config.rules.map((rule) => faults.add(rule)) }];
  }
  return [200, { ids: [faults.add(config)] }];
}
