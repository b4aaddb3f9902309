import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderKubeconfig, writeKubeconfig } from '../../../infra/cli/kubeconfig.js';

const TARGET = { clusterName: 'demo', server: 'http://127.0.0.1:40001', token: 'local-abc' };

describe('the kubeconfig of slbc local --keep', () => {
  it('names one cluster, user and context, the token in the bearer field and in the server path', () => {
    expect(parse(renderKubeconfig(TARGET))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'slbc-local-demo', cluster: { server: 'http://127.0.0.1:40001/local/local-abc' } }],
      users: [{ name: 'slbc-local-demo', user: { token: 'local-abc' } }],
      contexts: [
        {
          name: 'slbc-local-demo',
          context: { cluster: 'slbc-local-demo', user: 'slbc-local-demo', namespace: 'default' },
        },
      ],
      'current-context': 'slbc-local-demo',
      preferences: {},
    });
  });

  it('is written readable by its owner only and removed on request', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slbc-kubeconfig-'));
    const written = writeKubeconfig(TARGET, dir);
    expect(written.path).toBe(join(dir, 'kubeconfig-demo.yaml'));
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(written.path, 'utf8')).toBe(renderKubeconfig(TARGET));
    written.remove();
    expect(() => statSync(written.path)).toThrow(/ENOENT/);
  });
});
