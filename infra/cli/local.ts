/**
 * `slbc local`: start everything, apply the demo, show progress (one line whenever the counts
 * move, at most one a second), then print the topology and exit 0 once converged and every
 * target has passed its health checks. `--keep` stays up on port 4566 and prints changes.
 */
import type { LocalSystem } from '../local/runtime/system.js';
import { REALISTIC_AUDIT, REALISTIC_ELBV2 } from '../local/scenario/types.js';
import { demoManifests } from './demo.js';
import { writeKubeconfig } from './kubeconfig.js';
import { renderTopology } from './printer.js';

export interface LocalRunOptions {
  keep: boolean;
  timeScale?: number;
  seed?: number;
  /** wall ms to converge before giving up (default 50 s) */
  timeoutMs?: number;
  out?: (line: string) => void;
}

async function progressLine(system: LocalSystem): Promise<string> {
  const snapshot = system.cluster.snapshot();
  const counters = await system.counters();
  const view = await system.topology();
  const groups = new Map<string, { state: string }[]>();
  for (const balancer of view.loadBalancers)
    for (const listener of balancer.listeners)
      for (const rule of listener.rules)
        for (const group of rule.targetGroups) groups.set(group.arn, group.targets);
  const targets = [...groups.values()].flat();
  const healthy = targets.filter((target) => target.state === 'healthy').length;
  const invocations = Object.values(counters.invocations).reduce((sum, count) => sum + count, 0);
  return (
    `pods ready ${snapshot.pods.ready}  audit lines ${counters.audit.delivered}/${counters.audit.written}` +
    `  bus events ${counters.bus.events}  invocations ${invocations}` +
    `  LBs ${view.loadBalancers.length}  targets ${targets.length} (${healthy} healthy)`
  );
}

/** every target behind a listener is healthy (the demo has no reason for one not to be) */
async function allHealthy(system: LocalSystem): Promise<boolean> {
  const view = await system.topology();
  const targets = view.loadBalancers.flatMap((balancer) =>
    balancer.listeners.flatMap((listener) =>
      listener.rules.flatMap((rule) => rule.targetGroups.flatMap((group) => group.targets)),
    ),
  );
  return targets.length > 0 && targets.every((target) => target.state === 'healthy');
}

export async function runLocal(options: LocalRunOptions): Promise<number> {
  const out = options.out ?? ((line: string) => console.log(line));
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const { startLocalSystem } = await import('../local/runtime/index.js');
  out(`[${elapsed()}] starting the local AWS endpoint, the simulated cluster and slbc's functions`);
  const system = await startLocalSystem({
    port: options.keep ? 4566 : 0,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  system.onLog((line) => out(`[${elapsed()}] ${line}`));
  // the world as EKS and ELBv2 show it: the audit log 60 s ± 30 s late, load balancers
  // provisioning 2 minutes, health checks spread; on the scaled clock that is seconds of wall time
  system.cluster.setAuditDelivery(REALISTIC_AUDIT);
  system.aws.services.elbv2.setWorldTiming(REALISTIC_ELBV2);
  out(
    `[${elapsed()}] endpoint ${system.aws.url}, cluster ${system.clusterName} (${system.cluster.nodes().length} nodes), bus ${system.wiring.busName}`,
  );
  const applied = system.apply(demoManifests());
  out(`[${elapsed()}] applied the demo: ${applied.length} objects`);

  const deadline = Date.now() + (options.timeoutMs ?? 50_000);
  let last = '';
  let lastPrinted = 0;
  let converged = false;
  while (Date.now() < deadline) {
    const line = await progressLine(system);
    if (line !== last && Date.now() - lastPrinted >= 1000) {
      out(`[${elapsed()}] ${line}`);
      last = line;
      lastPrinted = Date.now();
    }
    if (
      (await system.settle({ timeoutMs: 250 })) &&
      (await system.converged()) &&
      (await allHealthy(system))
    ) {
      converged = true;
      break;
    }
  }
  const final = await progressLine(system);
  if (final !== last) out(`[${elapsed()}] ${final}`);
  out('');
  out(renderTopology(await system.topology()));
  out('');
  if (!converged) {
    const report = await system.convergence();
    out(`[${elapsed()}] NOT converged:`);
    for (const difference of report.differences) out(`  - ${difference}`);
    for (const failure of system.failedInvocations()) out(`  - ${failure.function} failed: ${failure.error}`);
  } else {
    const counters = await system.counters();
    out(
      `[${elapsed()}] converged: ${counters.elbv2Mutations} mutating ELBv2 calls, ${counters.bus.events} bus events, ` +
        `DynamoDB ${counters.dynamodb.readUnits} RCU / ${counters.dynamodb.writeUnits} WCU, ` +
        `ready->registered ${formatSamples(counters.readyToRegisteredMs)}`,
    );
  }
  if (!options.keep) {
    await system.stop();
    return converged ? 0 : 1;
  }
  return keepRunning(system, out, elapsed);
}

function formatSamples(samples: number[]): string {
  if (samples.length === 0) return 'n/a';
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${(median / 1000).toFixed(1)}s of clock time over ${samples.length} pods`;
}

async function keepRunning(
  system: LocalSystem,
  out: (line: string) => void,
  elapsed: () => string,
): Promise<number> {
  const kubeconfig = writeKubeconfig({
    clusterName: system.clusterName,
    server: system.kubernetesUrl,
    token: system.kubernetesToken,
  });
  out('slbc is running locally. In another shell:');
  for (const [key, value] of Object.entries(system.env)) out(`  export ${key}=${value}`);
  out(`  export KUBECONFIG=${kubeconfig.path}`);
  out('  aws elbv2 describe-load-balancers   # AWS CLI v1 or v2');
  out('  npx slbc status --stage local');
  out(
    `  kubectl get ingresses,services -A   # the simulated cluster ${system.clusterName}, at ${system.kubernetesUrl}`,
  );
  out('Ctrl-C stops it.');
  let shown = renderTopology(await system.topology());
  const timer = setInterval(() => {
    void system.topology().then((view) => {
      const now = renderTopology(view);
      if (now === shown) return;
      shown = now;
      out(`[${elapsed()}] topology changed:`);
      out(now);
    });
  }, 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  kubeconfig.remove();
  await system.stop();
  return 0;
}
