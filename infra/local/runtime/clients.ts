/**
 * The SDK clients every local function shares, pointed at the local endpoint, with three
 * pieces of middleware that make the runtime observable and breakable:
 *
 * - crash chaos: an attempt marked doomed (./invoker.ts) dies right after its first successful
 *   mutating call, and every later call of that attempt fails too (its sandbox is gone);
 * - DynamoDB capacity: every item call asks for ReturnConsumedCapacity=TOTAL and the units are
 *   summed, split into reads and writes by the command;
 * - a RegisterTargets hook, so the runtime can time "pod Ready -> target registered";
 * - a gate: at most `IN_FLIGHT_CALLS` calls per client are past their first middleware, the
 *   rest wait there. The client's sockets (50) admit no more at once anyway, but a call that
 *   waits for a socket has already been serialized, signed and turned into an HTTP request:
 *   with thousands of invocations under way (every sandbox shares this process), those queued
 *   requests were most of the heap. Waiting at the gate, a call holds only its input; the order
 *   of calls is the same first-come order as the socket queue's.
 */
import { type AwsClients, createClients } from '../../../shared/aws/clients.js';
import { Slots } from '../aws/slots.js';
import { CrashError, currentAttempt } from './invoker.js';

/** a little over the SDK's 50 sockets per client, so a socket never waits for the gate */
export const IN_FLIGHT_CALLS = 64;

const MUTATING =
  /^(Create|Delete|Modify|Register|Deregister|Set|Add|Remove|Put|Update|Authorize|Revoke|BatchWrite|TransactWrite)/;

const DYNAMODB_READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const DYNAMODB_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

export interface CapacityCounters {
  readUnits: number;
  writeUnits: number;
  calls: number;
  /** item calls per action, e.g. { GetItem: 12 } */
  byAction: Record<string, number>;
}

export interface RuntimeClients extends AwsClients {
  capacity: CapacityCounters;
}

export interface RuntimeClientOptions {
  endpoint: string;
  region: string;
  onRegisterTargets: (targetGroupArn: string, targets: { Id?: string; Port?: number }[]) => void;
  /** every PutEvents entry sent through the runtime's EventBridge client (ingest's included) */
  onPutEvents?: (entries: { DetailType?: string; Detail?: string }[]) => void;
}

/** the slice of the SDK's initialize middleware these need; added to clients of different types */
type Middleware = (
  next: (args: { input: object }) => Promise<{ output: object }>,
  context: { commandName?: string },
) => (args: { input: object }) => Promise<{ output: object }>;

interface AnyStack {
  add(middleware: Middleware, options: { step: 'initialize'; name: string; priority?: 'high' }): void;
}
const stackOf = (client: { middlewareStack: unknown }) => client.middlewareStack as AnyStack;

/** `RegisterTargetsCommand` -> `RegisterTargets` */
const actionOf = (commandName: string | undefined) => (commandName ?? '').replace(/Command$/, '');

const crashMiddleware: Middleware = (next, context) => async (args) => {
  const attempt = currentAttempt.getStore();
  if (attempt?.crashed) throw new CrashError(`${attempt.functionName} already crashed (chaos)`);
  const result = await next(args);
  if (attempt?.doomed && MUTATING.test(actionOf(context.commandName))) {
    attempt.crashed = true;
    throw new CrashError(
      `${attempt.functionName} crashed after ${actionOf(context.commandName)} succeeded (chaos)`,
    );
  }
  return result;
};

/**
 * The gate (see the module comment); outermost, so nothing is built for a waiting call. A call
 * keeps its place through the SDK's retry waits too (only throttling chaos makes them common).
 */
function gateMiddleware(): Middleware {
  const slots = new Slots(IN_FLIGHT_CALLS);
  return (next) => async (args) => {
    await slots.acquire();
    try {
      return await next(args);
    } finally {
      slots.release();
    }
  };
}

function capacityMiddleware(counters: CapacityCounters): Middleware {
  return (next, context) => async (args) => {
    const command = context.commandName ?? '';
    const isRead = DYNAMODB_READS.has(command);
    const isWrite = DYNAMODB_WRITES.has(command);
    const input = args.input as Record<string, unknown>;
    if ((isRead || isWrite) && input['ReturnConsumedCapacity'] === undefined)
      input['ReturnConsumedCapacity'] = 'TOTAL';
    const result = await next(args);
    if (isRead || isWrite) {
      counters.calls++;
      const action = actionOf(command);
      counters.byAction[action] = (counters.byAction[action] ?? 0) + 1;
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed]
        .flat()
        .reduce<number>(
          (sum, item) => sum + Number((item as { CapacityUnits?: number })?.CapacityUnits ?? 0),
          0,
        );
      // dynalite may leave capacity out of some answers: count such a call as one unit
      const counted = consumed === undefined ? 1 : units;
      if (isRead) counters.readUnits += counted;
      else counters.writeUnits += counted;
    }
    return result;
  };
}

export function createRuntimeClients(options: RuntimeClientOptions): RuntimeClients {
  const clients = createClients({ endpoint: options.endpoint, region: options.region });
  const capacity: CapacityCounters = { readUnits: 0, writeUnits: 0, calls: 0, byAction: {} };
  for (const client of [clients.elbv2, clients.ec2, clients.eks, clients.events, clients.dynamodb]) {
    stackOf(client).add(gateMiddleware(), { step: 'initialize', name: 'slbcLocalGate', priority: 'high' });
    stackOf(client).add(crashMiddleware, {
      step: 'initialize',
      name: 'slbcLocalCrashChaos',
    });
  }
  stackOf(clients.dynamodb).add(capacityMiddleware(capacity), {
    step: 'initialize',
    name: 'slbcLocalCapacity',
  });
  const registerHook: Middleware = (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'RegisterTargetsCommand') {
      const input = args.input as { TargetGroupArn?: string; Targets?: { Id?: string; Port?: number }[] };
      options.onRegisterTargets(input.TargetGroupArn ?? '', input.Targets ?? []);
    }
    return result;
  };
  stackOf(clients.elbv2).add(registerHook, { step: 'initialize', name: 'slbcLocalRegisterHook' });
  const putEventsHook: Middleware = (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'PutEventsCommand')
      options.onPutEvents?.(
        (args.input as { Entries?: { DetailType?: string; Detail?: string }[] }).Entries ?? [],
      );
    return result;
  };
  stackOf(clients.events).add(putEventsHook, { step: 'initialize', name: 'slbcLocalPutEventsHook' });
  return { ...clients, capacity };
}
