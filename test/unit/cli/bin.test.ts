/**
 * The installed command as a user runs it: bin/slbc.mjs under plain node (no tsx on the
 * command line), with exit codes and one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);
const VERSION = (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string })
  .version;

function slbc(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/slbc.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/slbc.mjs', () => {
  it('declares itself as the package bin', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin?: unknown };
    expect(manifest.bin).toEqual({ slbc: 'bin/slbc.mjs' });
  });

  it.each([
    [['--version'], 0, new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\n$`)],
    [['plan', '--help'], 0, /^usage: slbc plan \[--kubeconfig FILE \| --manifests DIR\|FILE\]/],
    [['explain', '-h'], 0, /^usage: slbc explain <ingress\|service\|target> NAME/],
  ])('%j exits %i', (args, code, stdout) => {
    const result = slbc(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(stdout);
  });

  it.each([
    [['plan'], 2, /^slbc plan: give --kubeconfig FILE \(or KUBECONFIG\) or --manifests DIR\n$/],
    [['status'], 2, /^slbc status: which state table\?.*\n$/],
    [['nope'], 2, /^slbc: unknown command "nope"/],
  ])('%j exits %i with one line', (args, code, stderr) => {
    const result = slbc(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(stderr);
  });

  it('status --output json against an unreachable endpoint: exit 1, one JSON line, no stack', () => {
    const result = slbc(
      ['status', '--stage', 'local', '--output', 'json', '--endpoint', 'http://127.0.0.1:9'],
      {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      error: { code: 'EndpointUnreachable', message: expect.stringContaining('ECONNREFUSED 127.0.0.1:9') },
    });
  });
});
