/**
 * The local AWS endpoint: one node:http server, one port, every service. It recognises the
 * protocol of each request and routes it:
 *
 *   X-Amz-Target: DynamoDB_20120810.*      -> dynalite (JSON 1.0)
 *   X-Amz-Target: AWSEvents.*              -> EventBridge (JSON 1.1)
 *   X-Amz-Target: AmazonSQS.*              -> SQS (JSON 1.0)
 *   X-Amz-Target: AWSWAF_20190729.*        -> WAFv2 (JSON 1.1)
 *   X-Amz-Target: AWSShield_20160616.*     -> Shield (JSON 1.1)
 *   GET /clusters, GET /clusters/{name}    -> EKS (REST-JSON)
 *   Action=...&Version=2015-12-01          -> ELBv2 (awsQuery)
 *   Action=...&Version=2016-11-15          -> EC2 (EC2 query)
 *   Action=...&Version=2011-06-15          -> STS (awsQuery; also the presigned GET of EKS tokens)
 *   /_local/*                              -> inspection and fault API (./inspect.ts)
 *
 * Every call is counted and passes the fault injector before its service sees it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsApiError } from './api-error.js';
import type { Clock, ServiceContext, Topology } from './context.js';
import { scaledClock } from './context.js';
import { Counters } from './counters.js';
import { type LocalDynamoDb, startDynamoDb } from './dynamodb/index.js';
import { routeEksRequest } from './eks/index.js';
import type { EventBridgeOptions } from './eventbridge/index.js';
import { Faults } from './faults.js';
import { handleInspection } from './inspect.js';
import { parseJsonBody } from './protocol/json.js';
import { decodeQueryBody, decodeQueryRequest } from './protocol/query-params.js';
import { asApiError, type Protocol, sendError, sendResult, throttlingError } from './protocol/respond.js';
import { DEFAULT_QUOTAS, type Elbv2Deps, type LocalService, type Quotas } from './service.js';
import { createLocalServices, JSON_SERVICES, type LocalServices, QUERY_SERVICES } from './services.js';
import { checkPresignedRequest, PRESIGN_PARAMS } from './sts/index.js';
import { defaultTopology } from './topology.js';

export interface LocalAwsOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  host?: string;
  topology?: Topology;
  clock?: Clock;
  /** DynamoDB tables persist here; in memory when absent */
  dataDir?: string;
  quotas?: Partial<Quotas>;
  /** seed of the fault injector's random generator */
  faultSeed?: number;
  /** EventBridge delivery settings (retries, Lambda concurrency); see ./eventbridge */
  eventBridge?: EventBridgeOptions;
  /** ELBv2 realism: how long ResourceInUse lingers after DeleteLoadBalancer (clock ms) */
  elbv2?: Pick<Elbv2Deps, 'resourceInUseLingerMs'>;
}

export interface LocalAws {
  /** e.g. http://127.0.0.1:4566; what AWS_ENDPOINT_URL should be */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly topology: Topology;
  readonly clock: Clock;
  readonly services: LocalServices;
  readonly faults: Faults;
  readonly counters: Counters;
  /** every service's state as plain JSON (what GET /_local/state answers) */
  dump(): Record<string, unknown>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const topology = options.topology ?? defaultTopology();
  const clock = options.clock ?? scaledClock(1);
  const ctx: ServiceContext = { account: topology.account, region: topology.region, topology, clock };
  const quotas: Quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
  const services = createLocalServices(ctx, quotas, options.eventBridge, options.elbv2);
  const faults = new Faults(options.faultSeed ?? 1);
  const counters = new Counters();
  const dynamodb = await startDynamoDb(options.dataDir);
  let requestSeq = 0;

  const dump = (): Record<string, unknown> => {
    const state: Record<string, unknown> = {};
    for (const service of Object.values(services) as LocalService[])
      state[service.name] = service.dump?.() ?? null;
    return { ...state, counters: counters.snapshot(), faults: faults.list() };
  };

  const router = new Router({
    services,
    faults,
    counters,
    dynamodb,
    clock,
    dump,
    nextRequestId: () => requestId(++requestSeq),
  });
  const requests = new InFlightRequests();
  const server = createServer({ keepAlive: true }, (req, res) => {
    if (requests.closing) {
      // stopping: a call that arrives now is refused, never half-served by a closing store
      req.resume();
      sendError(res, protocolOf(req), SHUTTING_DOWN, requestId(++requestSeq));
      return;
    }
    requests.track(res);
    router.route(req, res).catch((error: unknown) => {
      // the router answers its own errors; reaching here means the socket itself failed
      if (!res.headersSent) sendError(res, 'query', asApiError(error), requestId(++requestSeq));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    // nothing may outlive a failed start: the caller has no handle to stop it with
    for (const service of Object.values(services) as LocalService[]) await service.stop?.();
    await dynamodb.stop();
    throw new Error(
      `local AWS endpoint cannot listen on ${host}:${options.port ?? 0}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const port = (server.address() as AddressInfo).port;
  services.sqs.setEndpointUrl(`http://${host}:${port}`);

  return {
    url: `http://${host}:${port}`,
    port,
    region: topology.region,
    topology,
    clock,
    services,
    faults,
    counters,
    dump,
    async stop() {
      // a long poll would hold its connection open for up to 20 clock seconds
      services.sqs.endLongPolls();
      // no new connection; calls already received are answered before any service or the
      // DynamoDB store closes under them, then the remaining (idle) connections are closed
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await requests.drain();
      server.closeAllConnections();
      await closed;
      for (const service of Object.values(services) as LocalService[]) await service.stop?.();
      await dynamodb.stop();
    },
  };
}

const SHUTTING_DOWN = new AwsApiError('ServiceUnavailable', 'The local AWS endpoint is stopping', 503);

/** The error shape a refused call must have: the protocol its client speaks. */
function protocolOf(req: IncomingMessage): Protocol {
  const target = header(req, 'x-amz-target');
  if (target?.startsWith('DynamoDB_20120810.')) return 'dynamodb';
  if (target !== undefined) return 'json';
  return req.url?.startsWith('/clusters') ? 'rest-json' : 'query';
}

/** Calls received and not yet answered; stop() waits for them. */
class InFlightRequests {
  closing = false;
  private count = 0;
  private idle: (() => void) | undefined;

  track(res: ServerResponse): void {
    this.count++;
    res.once('close', () => {
      this.count--;
      if (this.count === 0) this.idle?.();
    });
  }

  drain(): Promise<void> {
    this.closing = true;
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }
}

/** A request id in UUID shape, as AWS sends; sequential so logs line up with counters. */
function requestId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

interface RouterDeps {
  services: LocalServices;
  faults: Faults;
  counters: Counters;
  dynamodb: LocalDynamoDb;
  clock: Clock;
  dump(): unknown;
  nextRequestId(): string;
}

class Router {
  constructor(private readonly deps: RouterDeps) {}

  async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    if (path.startsWith('/_local/')) {
      const { counters, faults, dump, services } = this.deps;
      const serviceNames = [...Object.keys(services), 'dynamodb'];
      return handleInspection(req, res, path, () => readBody(req), { counters, faults, dump, serviceNames });
    }
    const id = this.deps.nextRequestId();
    const target = header(req, 'x-amz-target');
    if (target?.startsWith('DynamoDB_20120810.')) return this.dynamodb(req, res, target.slice(18), id);
    if (target !== undefined) return this.jsonRpc(req, res, target, id);
    if (path === '/clusters' || path.startsWith('/clusters/')) return this.restJson(req, res, url, id);
    return this.query(req, res, url, id);
  }

  /** Counts the call, applies faults; true when the call may proceed. */
  private async admit(
    res: ServerResponse,
    protocol: Protocol,
    service: string,
    action: string,
    id: string,
  ): Promise<boolean> {
    this.deps.counters.record(service, action);
    const decision = this.deps.faults.decide(service, action);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.fail === undefined) return true;
    const error =
      decision.fail.kind === 'throttle'
        ? throttlingError(protocol)
        : new AwsApiError(decision.fail.code, decision.fail.message, decision.fail.status);
    sendError(res, protocol, error, id);
    return false;
  }

  private async dynamodb(
    req: IncomingMessage,
    res: ServerResponse,
    action: string,
    id: string,
  ): Promise<void> {
    if (!(await this.admit(res, 'dynamodb', 'dynamodb', action, id))) {
      req.resume();
      return;
    }
    this.deps.dynamodb.handle(req, res);
  }

  private async jsonRpc(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    id: string,
  ): Promise<void> {
    const [prefix = '', action = ''] = target.split('.', 2);
    const route = JSON_SERVICES[prefix];
    const service: LocalService | undefined =
      route === undefined ? undefined : this.deps.services[route.service];
    const protocol = route?.protocol ?? 'json';
    try {
      const body = await readBody(req);
      if (service === undefined || action === '') {
        throw new AwsApiError('UnknownOperationException', `No service answers X-Amz-Target ${target}`);
      }
      if (!(await this.admit(res, protocol, service.name, action, id))) return;
      const input = parseJsonBody(body);
      const result = await service.handle(action, input);
      sendResult(res, protocol, { action, xmlns: '', result }, id);
    } catch (error) {
      sendError(res, protocol, asApiError(error), id);
    }
  }

  private async restJson(req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
    try {
      await readBody(req);
      const route = routeEksRequest(req.method ?? 'GET', url.pathname, url.searchParams);
      if (route === undefined) {
        throw new AwsApiError(
          'UnknownOperationException',
          `EKS has no operation ${req.method} ${url.pathname}`,
          404,
        );
      }
      const eks = this.deps.services.eks;
      if (!(await this.admit(res, 'rest-json', eks.name, route.action, id))) return;
      const result = await eks.handle(route.action, route.input);
      sendResult(res, 'rest-json', { action: route.action, xmlns: '', result }, id);
    } catch (error) {
      sendError(res, 'rest-json', asApiError(error), id);
    }
  }

  private async query(req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
    let protocol: Protocol = 'query';
    try {
      const body = await readBody(req);
      const presigned = url.search !== '' && isPresigned(url.searchParams);
      const { action, version, input } =
        req.method === 'GET' || presigned
          ? decodeQueryRequest(url.searchParams, PRESIGN_PARAMS)
          : decodeQueryBody(body, PRESIGN_PARAMS);
      if (action === undefined || action === '')
        throw new AwsApiError('MissingAction', 'The request must contain the parameter Action');
      if (version === undefined || version === '')
        throw new AwsApiError('MissingParameter', 'The request must contain the parameter Version');
      const route = QUERY_SERVICES[version];
      if (route === undefined)
        throw new AwsApiError('NoSuchVersion', `No service of this endpoint has API version ${version}`);
      protocol = route.protocol;
      const service = this.deps.services[route.service] as LocalService | undefined;
      if (service === undefined)
        throw new AwsApiError(
          'InvalidAction',
          `The ${route.service} service is not running on this endpoint`,
        );
      if (!(await this.admit(res, protocol, service.name, action, id))) return;
      if (presigned) {
        if (route.service !== 'sts')
          throw new AwsApiError('InvalidAction', 'Only STS accepts presigned requests here');
        checkPresignedRequest(url.searchParams, req.headers, this.deps.clock.now());
      }
      const result = await service.handle(action, input);
      sendResult(res, protocol, { action, xmlns: route.xmlns, result }, id);
    } catch (error) {
      sendError(res, protocol, asApiError(error), id);
    }
  }
}

function isPresigned(params: URLSearchParams): boolean {
  for (const name of PRESIGN_PARAMS) if (params.has(name)) return true;
  return false;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // keep draining past the limit so the error can still be answered on this connection
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(
          new AwsApiError(
            'RequestEntityTooLarge',
            `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
            413,
          ),
        );
      } else {
        resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
      }
    });
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
