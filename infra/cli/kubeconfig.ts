/**
 * A kubeconfig for the simulated cluster of `slbc local --keep`, so kubectl (or any client)
 * can apply manifests to it while it runs. It carries the runtime's fixed local token: an
 * `aws eks get-token` token is signed on the wall clock, the local world runs on a scaled one.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigTarget {
  clusterName: string;
  server: string;
  token: string;
}

export function renderKubeconfig(target: KubeconfigTarget): string {
  const name = `slbc-local-${target.clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // kubectl sends no Authorization header over plain HTTP: the token rides in the path too
    clusters: [{ name, cluster: { server: `${target.server}/local/${target.token}` } }],
    users: [{ name, user: { token: target.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes it (mode 0600: it holds a token) and returns its path and a remover. */
export function writeKubeconfig(
  target: KubeconfigTarget,
  dir = join(tmpdir(), 'slbc-local'),
): { path: string; remove: () => void } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `kubeconfig-${target.clusterName}.yaml`);
  writeFileSync(path, renderKubeconfig(target), { mode: 0o600 });
  return { path, remove: () => rmSync(path, { force: true }) };
}
