import { describe, expect, it } from 'vitest';
import { parseCommand, parseTime, UsageError } from '../../../infra/cli/args.js';

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
    [['status'], { name: 'status', stage: 'dev' }],
    [
      ['status', '--cluster', 'demo', '--stage', 'local'],
      { name: 'status', stage: 'local', cluster: 'demo' },
    ],
    [['replay', '--help'], { name: 'help', topic: 'replay' }],
  ])('%j parses', (argv, expected) => {
    expect(parseCommand(argv, NOW)).toEqual(expected);
  });

  it('parses replay times, absolute and relative, with names defaulting to the stage', () => {
    expect(parseCommand(['replay', '--from', '-2h', '--to', 'now', '--bus', 'b'], NOW)).toEqual({
      name: 'replay',
      from: new Date(NOW - 7_200_000),
      to: new Date(NOW),
      stage: 'dev',
      bus: 'b',
    });
    const absolute = parseCommand(
      ['replay', '--from', '2026-03-01T10:00:00Z', '--to', '2026-03-01T11:00:00Z'],
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
    [['status', 'extra'], /slbc status: /],
  ])('%j is a usage error naming the problem', (argv, message) => {
    expect(() => parseCommand(argv, NOW)).toThrow(UsageError);
    expect(() => parseCommand(argv, NOW)).toThrow(message);
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
