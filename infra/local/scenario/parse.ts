/**
 * Reads and checks a scenario file before anything runs: the top-level fields, every step's
 * kind and fields, and every file a step references (it must exist and parse; manifests must
 * pass the simulated cluster's own kubectl checks). A problem is a ScenarioError naming the
 * step and the field, so a bad scenario never leaves a half-run system behind.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { SlbcError } from '../../../shared/errors.js';
import { APPLYABLE_KINDS, parseManifests } from '../cluster/manifest.js';
import { RESOURCES } from '../cluster/objects.js';
import { AWS_SERVICES, type AwsCall, unknownAction } from './aws-call.js';
import { ScenarioError } from './errors.js';
import {
  FAST_AUDIT,
  FAST_ELBV2,
  NO_CHAOS,
  type Scenario,
  type ScenarioStep,
  STEP_KINDS,
  type StepAction,
  type StepKind,
} from './types.js';

const chance = z
  .number({ error: 'must be a number between 0 and 1' })
  .min(0, 'must be between 0 and 1')
  .max(1, 'must be between 0 and 1');

const clockMs = z
  .number({ error: 'must be a number of clock ms' })
  .int('must be an integer (clock ms)')
  .min(0, 'must not be negative')
  .max(3_600_000, 'must be at most 3600000 (one hour)');

const top = z.strictObject(
  {
    name: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    cluster: z
      .string({ error: 'must be a string' })
      .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name (letters, digits, "-", "_")')
      .default('demo'),
    nodes: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(3),
    chaos: z
      .strictObject(
        {
          duplicate: chance.default(0),
          reorder: z.boolean({ error: 'must be true or false' }).default(false),
          drop: chance.default(0),
          throttle: chance.default(0),
          crash: chance.default(0),
        },
        { error: 'must be a mapping of duplicate, reorder, drop, throttle, crash' },
      )
      .default({ ...NO_CHAOS }),
    audit: z
      .strictObject(
        { deliveryDelayMs: clockMs.default(FAST_AUDIT.deliveryDelayMs), jitterMs: clockMs.default(0) },
        { error: 'must be a mapping of deliveryDelayMs, jitterMs (clock ms)' },
      )
      .default({ ...FAST_AUDIT }),
    elbv2: z
      .strictObject(
        { provisioningMs: clockMs.default(0), healthCheckJitterMs: clockMs.default(0) },
        { error: 'must be a mapping of provisioningMs, healthCheckJitterMs (clock ms)' },
      )
      .default({ ...FAST_ELBV2 }),
    steps: z.array(z.unknown(), { error: 'must be a list of steps' }).min(1, 'must hold at least one step'),
  },
  { error: 'must be a mapping with name, cluster, nodes, chaos, audit, elbv2 and steps' },
);

/** `ns/name`, or `name` in the default namespace */
const objectKey = z
  .string({ error: 'must be a string like "default/web"' })
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be "namespace/name"')
  .transform((key) => (key.includes('/') ? key : `default/${key}`));
const count = (min: number) =>
  z.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be at least ${min}`);
const fileRef = z.strictObject({ file: z.string({ error: 'must be a path' }).min(1, 'must not be empty') });
const empty = z.union([z.strictObject({}), z.null()], { error: 'takes no fields (write {})' });

const BODIES = {
  apply: z.string({ error: 'must be a YAML string of Kubernetes manifests' }).min(1, 'must not be empty'),
  scale: z.strictObject({ deployment: objectKey, replicas: count(0) }),
  rollout: z.strictObject({ deployment: objectKey }),
  kill: z.strictObject({ deployment: objectKey, count: count(1) }),
  delete: z.strictObject({
    kind: z.enum(APPLYABLE_KINDS as [string, ...string[]], {
      error: `must be one of ${APPLYABLE_KINDS.join(', ')}`,
    }),
    name: z.string({ error: 'must be a string like "default/web"' }).min(1, 'must not be empty'),
  }),
  audit: fileRef,
  subscription: fileRef,
  resync: empty,
  replay: empty,
  settle: empty,
  aws: z.strictObject({
    service: z.enum(AWS_SERVICES as [string, ...string[]], {
      error: `must be one of ${AWS_SERVICES.join(', ')}`,
    }),
    action: z
      .string({ error: 'must be an API action name like CreateLoadBalancer' })
      .min(1, 'must not be empty'),
    input: z
      .record(z.string(), z.unknown(), { error: "must be a mapping of the call's parameters" })
      .default({}),
    expectError: z
      .string({ error: 'must be an error code like DuplicateLoadBalancerName' })
      .min(1)
      .optional(),
  }),
  wipe: empty,
  pause: z.strictObject({ ms: clockMs.refine((ms) => ms > 0, 'must be more than 0') }),
  traffic: z.union(
    [
      z.strictObject({ stop: z.literal(true, { error: 'must be true' }) }),
      z.strictObject({
        to: z
          .string({ error: 'must be "Ingress ns/name" or "Service ns/name"' })
          .regex(
            /^(Ingress|Service) +([a-z0-9][-a-z0-9]*\/)?[a-z0-9][-a-z0-9.]*$/,
            'must be "Ingress ns/name" or "Service ns/name"',
          ),
        rps: z
          .number({ error: 'must be a number of requests per second' })
          .positive('must be more than 0')
          .max(1000, 'must be at most 1000'),
      }),
    ],
    { error: 'must be { to: "Ingress ns/name" | "Service ns/name", rps: N } or { stop: true }' },
  ),
} satisfies Record<StepKind, z.ZodType>;

export interface ParseOptions {
  /** where relative file paths start (the scenario file's directory) */
  baseDir: string;
  /** names the scenario in errors (the file name) */
  source?: string;
}

/** Reads a scenario file and checks it; paths in it are relative to the file. */
export function loadScenario(path: string): Scenario {
  const source = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(source, undefined, 'file', `cannot be read (${(error as Error).message})`);
  }
  return parseScenario(text, { baseDir: dirname(resolve(path)), source });
}

export function parseScenario(text: string, options: ParseOptions): Scenario {
  const source = options.source ?? 'scenario';
  const doc = parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) throw new ScenarioError(source, undefined, 'YAML', yamlError.message);
  const parsed = top.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(source, undefined, fieldOf(issue) || '(document)', message(issue));
  }
  const { steps, ...rest } = parsed.data;
  return { ...rest, steps: steps.map((raw, index) => parseStep(raw, index, source, options.baseDir)) };
}

function parseStep(raw: unknown, index: number, source: string, baseDir: string): ScenarioStep {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ScenarioError(
      source,
      { index, kind: '?' },
      'step',
      `must be a mapping like { ${STEP_KINDS[0]}: ... }`,
    );
  const record = raw as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => key !== 'wait');
  const kinds = keys.filter((key): key is StepKind => (STEP_KINDS as readonly string[]).includes(key));
  const unknown = keys.filter((key) => !(STEP_KINDS as readonly string[]).includes(key));
  const named = { index, kind: kinds[0] ?? unknown[0] ?? '?' };
  if (unknown.length > 0)
    throw new ScenarioError(
      source,
      named,
      unknown[0]!,
      `unknown step kind or field (kinds: ${STEP_KINDS.join(', ')}; "wait" is the only other field)`,
    );
  if (kinds.length !== 1)
    throw new ScenarioError(
      source,
      named,
      'step',
      kinds.length === 0
        ? `names no step kind (one of ${STEP_KINDS.join(', ')})`
        : `names two kinds: ${kinds.join(', ')}`,
    );
  const kind = kinds[0]!;
  const step = { index, kind };
  const wait = record['wait'] ?? true;
  if (typeof wait !== 'boolean') throw new ScenarioError(source, step, 'wait', 'must be true or false');
  const body = BODIES[kind].safeParse(record[kind]);
  if (!body.success) {
    const issue = body.error.issues[0];
    throw new ScenarioError(source, step, fieldOf(issue) || kind, message(issue));
  }
  const fail = (field: string, problem: string) => new ScenarioError(source, step, field, problem);
  return { ...action(kind, body.data, baseDir, fail), index, wait };
}

type Fail = (field: string, problem: string) => ScenarioError;

function action(kind: StepKind, body: unknown, baseDir: string, fail: Fail): StepAction {
  switch (kind) {
    case 'apply': {
      const manifests = body as string;
      return { kind, manifests, objects: checked(() => parseManifests(manifests), 'apply', fail) };
    }
    case 'scale': {
      const { deployment, replicas } = body as { deployment: string; replicas: number };
      return { kind, deployment, replicas };
    }
    case 'rollout':
      return { kind, deployment: (body as { deployment: string }).deployment };
    case 'kill': {
      const { deployment, count } = body as { deployment: string; count: number };
      return { kind, deployment, count };
    }
    case 'delete': {
      const { kind: objectKind, name } = body as { kind: string; name: string };
      return { kind, objectKind, name: deleteKey(objectKind, name, fail) };
    }
    case 'audit': {
      const file = (body as { file: string }).file;
      return { kind, file, lines: auditLines(readReferenced(baseDir, file, fail), file, fail) };
    }
    case 'subscription': {
      const file = (body as { file: string }).file;
      const text = readReferenced(baseDir, file, fail);
      const event = checked(() => JSON.parse(text) as unknown, 'file', fail, `${file}: invalid JSON`);
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        throw fail('file', `${file}: must hold one JSON object (a Lambda event)`);
      return { kind, file, event };
    }
    case 'aws': {
      const call = body as AwsCall;
      const problem = unknownAction(call.service, call.action);
      if (problem) throw fail('action', problem);
      return {
        kind,
        service: call.service,
        action: call.action,
        input: call.input,
        ...(call.expectError === undefined ? {} : { expectError: call.expectError }),
      };
    }
    case 'traffic': {
      const traffic = body as { stop: true } | { to: string; rps: number };
      return 'stop' in traffic
        ? { kind, stop: true }
        : { kind, to: traffic.to.replace(/ +/, ' '), rps: traffic.rps };
    }
    case 'pause':
      return { kind, ms: (body as { ms: number }).ms };
    case 'resync':
    case 'replay':
    case 'settle':
    case 'wipe':
      return { kind };
  }
}

/** Namespaced kinds are keyed `ns/name` (default namespace when omitted), cluster-scoped ones by name. */
function deleteKey(kind: string, name: string, fail: Fail): string {
  const namespaced = RESOURCES.get(kind)?.namespaced ?? true;
  const parts = name.split('/');
  if (!namespaced) {
    if (parts.length !== 1)
      throw fail('name', `${kind} is cluster-scoped: give its name without a namespace`);
    return name;
  }
  if (parts.length > 2 || parts.some((part) => part === '')) throw fail('name', 'must be "namespace/name"');
  return parts.length === 1 ? `default/${name}` : name;
}

function readReferenced(baseDir: string, file: string, fail: Fail): string {
  const path = resolve(baseDir, file);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw fail('file', `${file}: no such file (paths are relative to the scenario file)`);
  }
  if (!isFile) throw fail('file', `${file}: is not a file`);
  return readFileSync(path, 'utf8');
}

function auditLines(text: string, file: string, fail: Fail): unknown[] {
  const lines: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const value = checked(
      () => JSON.parse(line) as unknown,
      'file',
      fail,
      `${file} line ${i + 1}: invalid JSON`,
    );
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw fail('file', `${file} line ${i + 1}: must be one audit event (a JSON object)`);
    lines.push(value);
  }
  if (lines.length === 0) throw fail('file', `${file}: holds no audit events`);
  return lines;
}

/** Runs a parse and turns its failure into a ScenarioError on `field`. */
function checked<T>(parse: () => T, field: string, fail: Fail, prefix?: string): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SlbcError) && !(error instanceof SyntaxError)) throw error;
    throw fail(field, prefix ? `${prefix} (${error.message})` : error.message);
  }
}

/** The dotted field an issue is about; an unknown key is itself the field. */
function fieldOf(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return '';
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
    .join('.')
    .replace(/\.\[/g, '[');
}

function message(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}
