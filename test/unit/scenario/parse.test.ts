import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../infra/local/scenario/errors.js';
import { loadScenario, parseScenario } from '../../../infra/local/scenario/parse.js';

const service = `
      apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: default }
      spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slbc-scenario-'));
  writeFileSync(
    join(dir, 'lines.jsonl'),
    '{"kind":"Event","auditID":"a"}\n\n{"kind":"Event","auditID":"b"}\n',
  );
  writeFileSync(join(dir, 'broken.jsonl'), '{"kind":"Event"}\nnot json\n');
  writeFileSync(join(dir, 'payload.json'), '{"awslogs":{"data":"H4sI"}}');
  writeFileSync(join(dir, 'array.json'), '[1]');
  mkdirSync(join(dir, 'folder'));
});

function parse(text: string) {
  return parseScenario(text, { baseDir: dir, source: 'test.yaml' });
}

/** The error a bad scenario raises, so each case asserts its exact message. */
function failure(text: string): ScenarioError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  it('reads every step kind, fills defaults and loads referenced files', () => {
    const scenario = parse(`
name: all
steps:
  - apply: |${service}
  - scale: { deployment: default/web, replicas: 0 }
  - rollout: { deployment: web }
  - kill: { deployment: team/web, count: 2 }
    wait: false
  - delete: { kind: Service, name: web }
  - delete: { kind: IngressClass, name: alb }
  - audit: { file: lines.jsonl }
  - subscription: { file: payload.json }
  - resync: {}
  - replay:
  - settle: {}
`);
    expect(scenario.cluster).toBe('demo');
    expect(scenario.nodes).toBe(3);
    expect(scenario.chaos).toEqual({ duplicate: 0, reorder: false, drop: 0, throttle: 0, crash: 0 });
    expect(scenario.steps.map((s) => s.kind)).toEqual([
      'apply',
      'scale',
      'rollout',
      'kill',
      'delete',
      'delete',
      'audit',
      'subscription',
      'resync',
      'replay',
      'settle',
    ]);
    const [apply, scale, rollout, kill, del, delClass, audit, subscription] = scenario.steps;
    expect(apply?.kind === 'apply' && apply.objects.map((o) => o.kind)).toEqual(['Service']);
    expect(scale).toMatchObject({ deployment: 'default/web', replicas: 0, wait: true, index: 1 });
    expect(rollout).toMatchObject({ deployment: 'default/web' });
    expect(kill).toMatchObject({ deployment: 'team/web', count: 2, wait: false });
    expect(del).toMatchObject({ objectKind: 'Service', name: 'default/web' });
    expect(delClass).toMatchObject({ objectKind: 'IngressClass', name: 'alb' });
    expect(audit?.kind === 'audit' && audit.lines).toEqual([
      { kind: 'Event', auditID: 'a' },
      { kind: 'Event', auditID: 'b' },
    ]);
    expect(subscription?.kind === 'subscription' && subscription.event).toEqual({
      awslogs: { data: 'H4sI' },
    });
  });

  it('reads chaos knobs and the cluster settings', () => {
    const scenario = parse(`
name: chaos
cluster: prod-1
nodes: 5
chaos: { duplicate: 0.3, reorder: true, drop: 0.05, throttle: 0.2, crash: 0.05 }
steps: [ { settle: {} } ]
`);
    expect(scenario).toMatchObject({
      cluster: 'prod-1',
      nodes: 5,
      chaos: { duplicate: 0.3, reorder: true, drop: 0.05, throttle: 0.2, crash: 0.05 },
    });
  });

  const bad: { name: string; text: string; message: string; step?: { index: number; kind: string } }[] = [
    { name: 'bad YAML', text: 'name: [unclosed', message: 'test.yaml: YAML:' },
    { name: 'no name', text: 'steps: [ { settle: {} } ]', message: 'test.yaml: name: must be a string' },
    {
      name: 'no steps',
      text: 'name: x\nsteps: []',
      message: 'test.yaml: steps: must hold at least one step',
    },
    {
      name: 'unknown top-level field',
      text: 'name: x\nsteps: [ { settle: {} } ]\nspeed: 2',
      message: 'test.yaml: speed: unknown field(s): speed',
    },
    {
      name: 'chaos out of range',
      text: 'name: x\nchaos: { drop: 1.5 }\nsteps: [ { settle: {} } ]',
      message: 'test.yaml: chaos.drop: must be between 0 and 1',
    },
    {
      name: 'unknown step kind',
      text: 'name: x\nsteps: [ { settle: {} }, { frobnicate: {} } ]',
      message: 'test.yaml: step 1 (frobnicate): frobnicate: unknown step kind',
      step: { index: 1, kind: 'frobnicate' },
    },
    {
      name: 'two kinds in one step',
      text: 'name: x\nsteps: [ { settle: {}, resync: {} } ]',
      message: 'test.yaml: step 0 (settle): step: names two kinds: settle, resync',
    },
    {
      name: 'a step that is not a mapping',
      text: 'name: x\nsteps: [ settle ]',
      message: 'test.yaml: step 0 (?): step: must be a mapping',
    },
    {
      name: 'negative replicas',
      text: 'name: x\nsteps:\n  - settle: {}\n  - scale: { deployment: default/web, replicas: -1 }',
      message: 'test.yaml: step 1 (scale): replicas: must be at least 0',
      step: { index: 1, kind: 'scale' },
    },
    {
      name: 'a missing field',
      text: 'name: x\nsteps: [ { kill: { deployment: default/web } } ]',
      message: 'test.yaml: step 0 (kill): count: must be a number',
    },
    {
      name: 'an unknown field in a step',
      text: 'name: x\nsteps: [ { rollout: { deployment: default/web, surge: 2 } } ]',
      message: 'test.yaml: step 0 (rollout): surge: unknown field(s): surge',
    },
    {
      name: 'a bad deployment key',
      text: 'name: x\nsteps: [ { rollout: { deployment: "a/b/c" } } ]',
      message: 'test.yaml: step 0 (rollout): deployment: must be "namespace/name"',
    },
    {
      name: 'wait that is not a boolean',
      text: 'name: x\nsteps: [ { settle: {}, wait: "no" } ]',
      message: 'test.yaml: step 0 (settle): wait: must be true or false',
    },
    {
      name: 'fields on a step that takes none',
      text: 'name: x\nsteps: [ { resync: { now: true } } ]',
      message: 'test.yaml: step 0 (resync): now: unknown field(s): now',
    },
    {
      name: 'an unsupported kind to delete',
      text: 'name: x\nsteps: [ { delete: { kind: ConfigMap, name: default/x } } ]',
      message: 'test.yaml: step 0 (delete): kind: must be one of Namespace',
    },
    {
      name: 'a namespace on a cluster-scoped kind',
      text: 'name: x\nsteps: [ { delete: { kind: Node, name: default/n1 } } ]',
      message: 'test.yaml: step 0 (delete): name: Node is cluster-scoped',
    },
    {
      name: 'a manifest the cluster would refuse',
      text: 'name: x\nsteps:\n  - settle: {}\n  - apply: |\n      apiVersion: v1\n      kind: Service\n      metadata: { name: web }\n      spec: { ports: [{ port: 99999 }] }',
      message:
        'test.yaml: step 1 (apply): apply: Service default/web: spec.ports[0].port: must be between 1 and 65535',
      step: { index: 1, kind: 'apply' },
    },
    {
      name: 'manifests that are not YAML',
      text: 'name: x\nsteps: [ { apply: "kind: [unclosed" } ]',
      message: 'test.yaml: step 0 (apply): apply: manifest document 1: invalid YAML',
    },
    {
      name: 'a missing audit file',
      text: 'name: x\nsteps: [ { settle: {} }, { audit: { file: nowhere.jsonl } } ]',
      message: 'test.yaml: step 1 (audit): file: nowhere.jsonl: no such file',
      step: { index: 1, kind: 'audit' },
    },
    {
      name: 'a directory for a file',
      text: 'name: x\nsteps: [ { audit: { file: folder } } ]',
      message: 'test.yaml: step 0 (audit): file: folder: is not a file',
    },
    {
      name: 'a bad audit line',
      text: 'name: x\nsteps: [ { audit: { file: broken.jsonl } } ]',
      message: 'test.yaml: step 0 (audit): file: broken.jsonl line 2: invalid JSON',
    },
    {
      name: 'a subscription payload that is not an object',
      text: 'name: x\nsteps: [ { subscription: { file: array.json } } ]',
      message: 'test.yaml: step 0 (subscription): file: array.json: must hold one JSON object',
    },
  ];
  for (const { name, text, message, step } of bad)
    it(`refuses ${name}`, () => {
      const error = failure(text);
      expect(error.message.startsWith(message), `${error.message}\n  should start with\n${message}`).toBe(
        true,
      );
      if (step) expect(error.step).toEqual(step);
    });

  it('names the scenario file when it cannot be read', () => {
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(/^missing.yaml: file: cannot be read/);
  });

  it('resolves referenced files relative to the scenario file', () => {
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(
      join(dir, 'nested', 's.yaml'),
      'name: n\nsteps: [ { subscription: { file: ../payload.json } } ]',
    );
    const scenario = loadScenario(join(dir, 'nested', 's.yaml'));
    expect(scenario.steps[0]).toMatchObject({ kind: 'subscription', file: '../payload.json' });
  });
});
