import { describe, expect, it } from 'vitest';
import { reconcileKeys, stateOver } from '../../../shared/state/index.js';
import { memoryStore } from '../../support/memory-store.js';

/**
 * A binding's recorded errors go with it: a TargetGroupNotFound recorded by a targets pass that
 * raced the stacks pass deleting the target group must not stay after everything was deleted.
 */
const TG = (n: number) =>
  `arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/k8s-shop-web${n}/1`;

async function bound() {
  const state = stateOver(memoryStore(), { now: () => 1_800_000_000_000 });
  for (const n of [1, 2]) {
    await state.bindings.put({
      cluster: 'demo',
      targetGroupArn: TG(n),
      stackKey: 'ingress/shop',
      service: { namespace: 'shop', name: `web${n}`, port: 80 },
      targetType: 'ip',
      createdBySlbc: true,
      updatedAt: '2027-01-15T08:00:00Z',
    });
  }
  const record = (n: number) =>
    state.errors.record({
      cluster: 'demo',
      kind: 'TargetGroupBinding',
      namespace: 'shop',
      name: `web${n}:80`,
      message: `TargetGroupNotFound: ${TG(n)}`,
      key: reconcileKeys.targetGroup(TG(n)),
    });
  // an error of another function on the same object is not this binding's
  await state.errors.record({
    cluster: 'demo',
    kind: 'Ingress',
    namespace: 'shop',
    name: 'web1',
    message: 'x',
    key: 'stacks',
  });
  return { state, record };
}

const names = async (state: Awaited<ReturnType<typeof bound>>['state']) =>
  (await state.errors.list()).map((error) => `${error.kind}/${error.name}`).sort();

describe('recorded errors of a deleted binding', () => {
  it.each([
    {
      name: 'recorded, then the binding deleted: cleared with it',
      run: async ({ state, record }: Awaited<ReturnType<typeof bound>>) => {
        await record(1);
        await state.bindings.delete(TG(1));
      },
    },
    {
      name: 'the binding deleted, then a racing pass records and sets lastError: cleared',
      run: async ({ state, record }: Awaited<ReturnType<typeof bound>>) => {
        await state.bindings.delete(TG(1));
        await record(1);
        await state.bindings.setLastError(TG(1), 'TargetGroupNotFound');
      },
    },
  ])('$name', async ({ run }) => {
    const fixture = await bound();
    await fixture.record(2);
    await run(fixture);
    // the other binding's error and the Ingress's stay
    expect(await names(fixture.state)).toEqual(['Ingress/web1', 'TargetGroupBinding/web2:80']);
  });

  it('a live binding keeps its error and its lastError', async () => {
    const fixture = await bound();
    await fixture.record(1);
    await fixture.state.bindings.setLastError(TG(1), 'TargetGroupNotFound');
    expect(await names(fixture.state)).toEqual(['Ingress/web1', 'TargetGroupBinding/web1:80']);
    expect((await fixture.state.bindings.get(TG(1)))?.lastError).toBe('TargetGroupNotFound');
  });
});
