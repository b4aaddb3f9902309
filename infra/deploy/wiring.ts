import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './package.js';

/**
 * What the local runtime needs from serverless.yml to wire the local endpoint exactly as AWS
 * will be wired: the bus, the archive's pattern, each rule's pattern and target functions,
 * the resync schedule, and each function's settings. Read straight from the YAML (no
 * packaging, so it costs milliseconds at start-up); test/integration/deploy/ checks that it
 * agrees with the template `serverless package` produces.
 *
 * Only the variables these parts use are resolved: ${param:x}, ${sls:stage}, ${self:service}
 * and ${opt:stage, '...'}. ${file(...)} pieces (IAM, subscriptions, alarms) are not needed here.
 */

export interface RetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}

export interface RuleWiring {
  logicalId: string;
  description?: string;
  eventPattern: Record<string, unknown>;
  targets: { id: string; function: string; retryPolicy?: RetryPolicy; deadLetterQueue?: string }[];
}

export interface FunctionWiring {
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
  /** provider and function environment, with the bus and table references resolved to names */
  environment: Record<string, string>;
}

/** An SQS queue of serverless.yml (the re-check queue and its dead letters). */
export interface QueueWiring {
  logicalId: string;
  name: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** RedrivePolicy: the dead-letter queue's logical id and the receives before it */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

/** A function's `events: - sqs:` entry: Lambda's event source mapping. */
export interface SqsSourceWiring {
  function: string;
  /** the queue's logical id */
  queue: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
}

export interface Wiring {
  service: string;
  stage: string;
  busName: string;
  tableName: string;
  archive: { name: string; eventPattern: Record<string, unknown>; retentionDays: number };
  rules: RuleWiring[];
  schedule: { expression: string; function: string; input?: string; retryPolicy?: RetryPolicy };
  functions: Record<string, FunctionWiring>;
  /** SQS queues by logical id; a function's environment names a queue by its QueueName */
  queues: Record<string, QueueWiring>;
  sqsSources: SqsSourceWiring[];
}

export interface WiringOptions {
  stage?: string;
  /** like --param on the command line: wins over `params:` in the file */
  params?: Record<string, string>;
  file?: string;
}

type Node = Record<string, unknown>;

/**
 * infra/deploy/params.cjs, the checks serverless.yml runs on every parameter. Found from the
 * repository root, not this module's URL, so a bundle of this module (the system benchmark's)
 * finds it too.
 */
const { validateParams, checkLeases } = createRequire(join(REPO_ROOT, 'infra', 'deploy', 'wiring.ts'))(
  './params.cjs',
) as {
  validateParams(values: Record<string, unknown>): Record<string, unknown>;
  checkLeases(functions: Node, providerEnvironment: Node): string;
};

/** Every parameter as the Framework sees it: --param, then `params: <stage>:`, then defaults. */
function paramValues(
  config: Node,
  stage: string,
  cliParams: Record<string, string>,
): Record<string, unknown> {
  const params = (config.params ?? {}) as Record<string, Node>;
  return { ...params.default, ...params[stage], ...cliParams };
}

const FUNCTION_ID = /^(.+)LambdaFunction$/;

function referenced(value: unknown): string | undefined {
  const node = (value ?? {}) as Node;
  if (typeof node.Ref === 'string') return node.Ref;
  const getAtt = node['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** `TargetsLambdaFunction` -> `targets`, the way the Framework names function resources. */
function functionName(logicalId: string | undefined, names: string[]): string {
  const base = logicalId?.match(FUNCTION_ID)?.[1];
  const name = names.find((candidate) => candidate.toLowerCase() === base?.toLowerCase());
  if (!name) throw new Error(`${logicalId} does not name a function in serverless.yml`);
  return name;
}

function resolver(config: Node, stage: string, cliParams: Record<string, string>) {
  const params = (config.params ?? {}) as Record<string, Node>;
  const lookup = (expression: string): unknown => {
    const [source, ...rest] = expression.split(':');
    const address = rest.join(':').split(',')[0]?.trim() ?? '';
    if (source === 'param')
      return cliParams[address] ?? params[stage]?.[address] ?? params.default?.[address];
    if (source === 'sls' && address === 'stage') return stage;
    if (source === 'opt' && address === 'stage') return stage;
    if (source === 'self' && address === 'service') return config.service;
    // a function's own setting, e.g. ${self:functions.targets.timeout}
    const path = address.split('.');
    if (source === 'self' && path[0] === 'functions' && path.length === 3) {
      const value = ((config.functions as Node | undefined)?.[path[1]!] as Node | undefined)?.[path[2]!];
      if (value !== undefined) return value;
    }
    throw new Error(`serverless.yml variable \${${expression}} is not resolvable locally`);
  };
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = value.match(/^\$\{([^{}]+)\}$/);
      if (whole) return lookup(whole[1]!);
      return value.replace(/\$\{([^{}]+)\}/g, (_text, expression: string) => String(lookup(expression)));
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    }
    return value;
  };
  return resolve;
}

export function readWiring(options: WiringOptions = {}): Wiring {
  const config = parse(readFileSync(options.file ?? join(REPO_ROOT, 'serverless.yml'), 'utf8')) as Node;
  const stage = options.stage ?? 'dev';
  // the local runtime refuses what `serverless package` refuses
  validateParams(paramValues(config, stage, options.params ?? {}));
  checkLeases(config.functions as Node, (config.provider as Node).environment as Node);
  const resolve = resolver(config, stage, options.params ?? {});
  const parts = (Array.isArray(config.resources) ? config.resources : [config.resources]) as Node[];
  const resources = Object.assign(
    {},
    ...parts.filter((part) => typeof part === 'object').map((part) => part.Resources ?? {}),
  ) as Record<string, { Type: string; Properties: Node }>;
  const propertiesOf = (type: string) =>
    Object.entries(resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => [id, resolve(resource.Properties) as Node] as const);
  const one = (type: string) => {
    const [found, ...others] = propertiesOf(type);
    if (!found || others.length > 0) throw new Error(`serverless.yml must define exactly one ${type}`);
    return found[1];
  };

  const busName = String(one('AWS::Events::EventBus').Name);
  const tableName = String(one('AWS::DynamoDB::Table').TableName);
  const functionsConfig = config.functions as Record<string, Node>;
  const names = Object.keys(functionsConfig);
  const queues = Object.fromEntries(
    propertiesOf('AWS::SQS::Queue').map(([logicalId, queue]) => {
      const redrive = queue.RedrivePolicy as Node | undefined;
      const wiring: QueueWiring = {
        logicalId,
        name: String(queue.QueueName),
        visibilityTimeoutSeconds: Number(queue.VisibilityTimeout ?? 30),
        retentionSeconds: Number(queue.MessageRetentionPeriod ?? 345_600),
        ...(redrive === undefined
          ? {}
          : {
              redrive: {
                deadLetterQueue: referenced(redrive.deadLetterTargetArn) ?? '',
                maxReceiveCount: Number(redrive.maxReceiveCount),
              },
            }),
      };
      return [logicalId, wiring];
    }),
  );
  const references: Record<string, string> = {
    EventBus: busName,
    StateTable: tableName,
    ...Object.fromEntries(Object.values(queues).map((queue) => [queue.logicalId, queue.name])),
  };
  const environmentOf = (env: unknown) =>
    Object.fromEntries(
      Object.entries((resolve(env) ?? {}) as Node).flatMap(([key, value]) => {
        if (typeof value === 'string' || typeof value === 'number') return [[key, String(value)]];
        const target = references[referenced(value) ?? ''];
        return target ? [[key, target]] : [];
      }),
    );
  const providerEnvironment = environmentOf((config.provider as Node).environment);

  const archive = one('AWS::Events::Archive');
  const schedule = one('AWS::Scheduler::Schedule');
  const scheduleTarget = schedule.Target as Node;
  return {
    service: String(config.service),
    stage,
    busName,
    tableName,
    archive: {
      name: String(archive.ArchiveName),
      eventPattern: archive.EventPattern as Node,
      retentionDays: Number(archive.RetentionDays),
    },
    rules: propertiesOf('AWS::Events::Rule').map(([logicalId, rule]) => ({
      logicalId,
      ...(typeof rule.Description === 'string' ? { description: rule.Description } : {}),
      eventPattern: rule.EventPattern as Node,
      targets: (rule.Targets as Node[]).map((target) => ({
        id: String(target.Id),
        function: functionName(referenced(target.Arn), names),
        ...(target.RetryPolicy ? { retryPolicy: target.RetryPolicy as RetryPolicy } : {}),
        ...(target.DeadLetterConfig
          ? { deadLetterQueue: referenced((target.DeadLetterConfig as Node).Arn) ?? '' }
          : {}),
      })),
    })),
    schedule: {
      expression: String(schedule.ScheduleExpression),
      function: functionName(referenced(scheduleTarget.Arn), names),
      ...(typeof scheduleTarget.Input === 'string' ? { input: scheduleTarget.Input } : {}),
      ...(scheduleTarget.RetryPolicy ? { retryPolicy: scheduleTarget.RetryPolicy as RetryPolicy } : {}),
    },
    queues,
    sqsSources: names.flatMap((name) =>
      ((functionsConfig[name]?.events ?? []) as Node[]).flatMap((event) => {
        const sqs = event.sqs as Node | undefined;
        if (sqs === undefined) return [];
        const queue = referenced(sqs.arn);
        if (queue === undefined || queues[queue] === undefined)
          throw new Error(`function ${name}: its sqs event names no queue of serverless.yml`);
        return [
          {
            function: name,
            queue,
            batchSize: Number(sqs.batchSize ?? 10),
            reportBatchItemFailures: sqs.functionResponseType === 'ReportBatchItemFailures',
            ...(sqs.maximumConcurrency === undefined
              ? {}
              : { maximumConcurrency: Number(sqs.maximumConcurrency) }),
          },
        ];
      }),
    ),
    functions: Object.fromEntries(
      names.map((name) => {
        const fn = resolve(functionsConfig[name]) as Node;
        const wiring: FunctionWiring = {
          handler: String(fn.handler),
          timeoutSeconds: Number(fn.timeout ?? 6),
          memoryMb: Number(fn.memorySize ?? 1024),
          ...(fn.maximumRetryAttempts === undefined
            ? {}
            : { maximumRetryAttempts: Number(fn.maximumRetryAttempts) }),
          ...(fn.maximumEventAge === undefined ? {} : { maximumEventAgeSeconds: Number(fn.maximumEventAge) }),
          environment: { ...providerEnvironment, ...environmentOf(functionsConfig[name]?.environment) },
        };
        return [name, wiring];
      }),
    ),
  };
}
