import { describe, expect, it } from 'vitest';
import { parseCommand, parseInvocation, parseTime, UsageError } from '../../../infra/cli/args.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseCommand', () => {
  it.each([
    [[], { name: 'help' }],
    [['--help'], { name: 'help' }],
    [['local'], { name: 'local', keep: false }],
    [['local', '--keep'], { name: 'local', keep: true }],
    [['local', '--time-scale', '50', '--seed', '4'], { name: 'local', keep: false, timeScale: 50, seed: 4 }],
    [['local', '--help'], { name: 'help', topic: 'local' }],
    [
      ['local', 'run', '--scenario', 's.yaml', '--report', 'r.json'],
      { name: 'local-run', scenario: 's.yaml', report: 'r.json' },
    ],
    [
      ['status', '--cluster', 'demo', '--stage', 'local'],
      { name: 'status', stage: 'local', source: '--stage', cluster: 'demo' },
    ],
    [
      ['status', '--table', 't', '--region', 'us-east-1', '--profile', 'ops', '--endpoint', 'http://x'],
      {
        name: 'status',
        table: 't',
        tableSource: '--table',
        region: 'us-east-1',
        profile: 'ops',
        endpoint: 'http://x',
      },
    ],
    [['replay', '--help'], { name: 'help', topic: 'replay' }],
    [['replay', '-h'], { name: 'help', topic: 'replay' }],
    [['status', '-h', '--bogus'], { name: 'help', topic: 'status' }],
    [['local', 'run', '-h'], { name: 'help', topic: 'local-run' }],
    [['plan', '--help'], { name: 'help', topic: 'plan' }],
    [['help', 'explain'], { name: 'help', topic: 'explain' }],
    [['--version'], { name: 'version' }],
    [['status', '--version'], { name: 'version' }],
    [['plan'], { name: 'plan' }],
    [['plan', '--manifests', 'k8s/'], { name: 'plan', manifests: 'k8s/' }],
    [
      ['plan', '--manifests', 'k8s/', '--cluster', 'prod'],
      { name: 'plan', manifests: 'k8s/', cluster: 'prod' },
    ],
    [
      ['explain', 'ingress', 'shop/web', '--table', 't'],
      { name: 'explain', kind: 'ingress', object: 'shop/web', table: 't', tableSource: '--table' },
    ],
    [
      ['explain', 'target', 'k8s-demo-echo-9c829f3198', '--stage', 'prod', '--cluster', 'a'],
      {
        name: 'explain',
        kind: 'target',
        object: 'k8s-demo-echo-9c829f3198',
        stage: 'prod',
        source: '--stage',
        cluster: 'a',
      },
    ],
  ])('%j parses', (argv, expected) => {
    expect(parseCommand(argv, NOW)).toEqual(expected);
  });

  it('parses replay times, absolute and relative, with names from the stage unless given', () => {
    expect(
      parseCommand(['replay', '--from', '-2h', '--to', 'now', '--bus', 'b', '--stage', 'prod'], NOW),
    ).toEqual({
      name: 'replay',
      from: new Date(NOW - 7_200_000),
      to: new Date(NOW),
      stage: 'prod',
      source: '--stage',
      bus: 'b',
    });
    const absolute = parseCommand(
      ['replay', '--from', '2026-03-01T10:00:00Z', '--to', '2026-03-01T11:00:00Z', '--stage', 'dev'],
      NOW,
    );
    expect(absolute).toMatchObject({
      from: new Date('2026-03-01T10:00:00Z'),
      to: new Date('2026-03-01T11:00:00Z'),
    });
  });

  it.each([
    [['deploy'], /unknown command "deploy"/],
    [['local', '--kep'], /slbc local: .*--kep/],
    [['local', '--time-scale', '0'], /--time-scale must be a positive number/],
    [['local', '--seed', 'x'], /--seed must be an integer/],
    [['local', 'run', '--report', 'r.json'], /--scenario FILE.yaml is required/],
    [['local', 'run', '--scenario', 's.yaml'], /--report FILE.json is required/],
    [['replay', '--to', 'now'], /--from is required/],
    [['replay', '--from', 'yesterday', '--to', 'now'], /--from "yesterday" is not a time/],
    [['replay', '--from', '-1h', '--to', '2026-13-45'], /--to "2026-13-45" is not a time/],
    [['replay', '--from', 'now', '--to', '-1h'], /--from .* must be before --to/],
    [['replay', '--from', '-1h', '--to', '2027-01-01T00:00:00Z'], /--to .* is in the future/],
    [['status', 'extra', '--stage', 'x'], /slbc status: /],
    [['status'], /which state table\? give --stage S \(or SLBC_STAGE\).*--table T/],
    [['replay', '--from', '-1h', '--to', 'now'], /which deployment\? give --stage S/],
    [['replay', '--from', '-1h', '--to', 'now', '--bus', 'b'], /or both --bus and --archive/],
    [['status', '--stage', 'x', '--output', 'yaml'], /--output must be json or text, got "yaml"/],
    [['status', '--output'], /--output must be json or text, got nothing/],
    [['plan', '--kubeconfig', 'k', '--manifests', 'm'], /--kubeconfig or --manifests, not both/],
    [['explain'], /must be ingress, service or target, got nothing/],
    [['explain', 'pod', 'x'], /must be ingress, service or target, got "pod"/],
    [['explain', 'service'], /slbc explain service: NAME is required/],
    [['explain', 'ingress', 'web', '--table', 't'], /NAME must be namespace\/name, got "web"/],
    [['explain', 'ingress', 'shop/web'], /slbc explain: which state table\?/],
  ])('%j is a usage error naming the problem', (argv, message) => {
    expect(() => parseCommand(argv, NOW)).toThrow(UsageError);
    expect(() => parseCommand(argv, NOW)).toThrow(message);
  });
});

describe('parseInvocation: the environment and global flags', () => {
  const ENV = {
    SLBC_STAGE: 'prod',
    SLBC_TABLE_NAME: 'state-table',
    SLBC_BUS_NAME: 'bus-b',
    AWS_DEFAULT_REGION: 'us-west-2',
  };

  it.each([
    [['status'], { SLBC_STAGE: 'prod' }, { stage: 'prod', source: 'SLBC_STAGE' }],
    [['status', '--stage', 'dev'], { SLBC_STAGE: 'prod' }, { stage: 'dev', source: '--stage' }],
    [['status'], { SLBC_TABLE_NAME: 't' }, { table: 't', tableSource: 'SLBC_TABLE_NAME' }],
    [['status', '--table', 'mine'], ENV, { table: 'mine', tableSource: '--table', stage: 'prod' }],
    [['status'], ENV, { region: 'us-west-2' }],
    [['status'], { ...ENV, AWS_REGION: 'eu-west-1' }, { region: 'eu-west-1' }],
    [['status', '--region', 'ap-south-1'], { ...ENV, AWS_REGION: 'eu-west-1' }, { region: 'ap-south-1' }],
    [
      ['replay', '--from', '-1h', '--to', 'now', '--archive', 'a'],
      { SLBC_BUS_NAME: 'bus-b' },
      { bus: 'bus-b', archive: 'a' },
    ],
  ])('%j with %j reads %j', (argv, env, expected) => {
    expect(parseInvocation(argv, env, NOW).command).toMatchObject(expected);
  });

  it('leaves the region to the SDK when neither flag nor variable names one', () => {
    expect(parseInvocation(['status', '--stage', 's'], {}, NOW).command).not.toHaveProperty('region');
  });

  it.each([
    [['status', '--stage', 's'], 'text', false],
    [['--output', 'json', 'status', '--stage', 's'], 'json', false],
    [['status', '--stage', 's', '--output=json', '--debug'], 'json', true],
    [['status', '-o', 'text', '--stage', 's'], 'text', false],
  ])('%j: output %s, debug %s', (argv, output, debug) => {
    const invocation = parseInvocation(argv, {}, NOW);
    expect(invocation).toMatchObject({ output, debug, command: { name: 'status', stage: 's' } });
  });
});

describe('parseTime', () => {
  it.each([
    ['now', NOW],
    ['-30s', NOW - 30_000],
    ['-15m', NOW - 900_000],
    ['-1d', NOW - 86_400_000],
    ['2026-02-28T23:00:00Z', Date.parse('2026-02-28T23:00:00Z')],
  ])('%s', (value, expected) => {
    expect(parseTime('from', value, NOW).getTime()).toBe(expected);
  });
});
