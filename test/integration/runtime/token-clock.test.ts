/**
 * `slbc local --keep` runs for long on a scaled clock: the functions sign their EKS tokens on
 * that clock, so the simulated API must check them on it too. Before, it read the wall clock
 * and every resync once the clock ran 15 minutes ahead failed ("token is signed in the future").
 * 35 minutes: a token cached from a scheduled resync (reused for 14 clock minutes) was then
 * signed more than 15 minutes ahead of the wall too.
 */
import { describe, expect, it } from 'vitest';
import { startLocalSystem } from '../../../infra/local/runtime/index.js';

describe('EKS tokens on the scaled clock', () => {
  it('resync still lists through the Kubernetes API once the clock runs 35 minutes ahead of the wall', async () => {
    const system = await startLocalSystem({ timeScale: 400, nodes: 1 });
    try {
      const ahead = () => system.aws.clock.now() - Date.now();
      while (ahead() < 35 * 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await system.resync()).toBe(true);
      expect(system.failedInvocations().filter((failure) => failure.function === 'resync')).toEqual([]);
    } finally {
      await system.stop();
    }
  }, 60_000);
});
