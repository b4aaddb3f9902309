import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from '../../../../shared/k8s/objects.js';
import {
  type ClassParamsSource,
  readClassParams,
} from '../../../../shared/reconcile/stacks/class-params-source.js';

const GROUP = 'alb.ingress.kubernetes.io/group.name';
const classOf = (name: string, params?: string): IngressClass => ({
  metadata: { name },
  spec: {
    controller: 'ingress.k8s.aws/alb',
    ...(params
      ? { parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: params } }
      : {}),
  },
});
const ingress = (namespace: string, className: string, group?: string): Ingress => ({
  metadata: { namespace, name: 'web', ...(group ? { annotations: { [GROUP]: group } } : {}) },
  spec: { ingressClassName: className },
});
const CLASSES = [classOf('team', 'team-params'), classOf('plain')];

/** A source over fixed objects that records what it was asked. */
function source(fail?: string) {
  const asked: string[] = [];
  const read: ClassParamsSource = {
    async params(_cluster, name) {
      asked.push(`params ${name}`);
      if (fail === name) throw new Error('forbidden');
      return name === 'team-params' ? { metadata: { name }, spec: {} } : undefined;
    },
    async namespaceLabels(_cluster, namespace) {
      asked.push(`namespace ${namespace}`);
      return namespace === 'gone' ? undefined : { team: namespace };
    },
  };
  return { read, asked };
}

describe('reading IngressClassParams for one group', () => {
  it.each([
    {
      name: 'a group whose classes reference no params reads nothing',
      ingresses: [ingress('shop', 'plain', 'g')],
      expected: undefined,
      asked: [],
    },
    {
      name: 'only the group’s Ingresses count (another group’s params class is not read)',
      ingresses: [ingress('shop', 'plain', 'g'), ingress('evil', 'team', 'other')],
      expected: undefined,
      asked: [],
    },
    {
      name: 'the params and every member namespace, a missing namespace as null',
      ingresses: [ingress('shop', 'team', 'g'), ingress('gone', 'plain', 'g')],
      expected: {
        params: [['team-params', { metadata: { name: 'team-params' }, spec: {} }]],
        namespaceLabels: [
          ['shop', { team: 'shop' }],
          ['gone', null],
        ],
      },
      asked: ['namespace gone', 'namespace shop', 'params team-params'],
    },
  ])('$name', async ({ ingresses, expected, asked }) => {
    const fake = source();
    const context = await readClassParams(
      fake.read,
      'demo',
      { namespace: '', name: 'g' },
      ingresses,
      CLASSES,
    );
    expect(
      context === undefined
        ? undefined
        : { params: [...context.params], namespaceLabels: [...context.namespaceLabels] },
    ).toEqual(expected);
    expect(fake.asked.sort()).toEqual(asked);
  });

  it('no source wired: undefined (the model then refuses classes with params)', async () => {
    expect(
      await readClassParams(
        undefined,
        'demo',
        { namespace: '', name: 'g' },
        [ingress('shop', 'team', 'g')],
        CLASSES,
      ),
    ).toBe(undefined);
  });

  it('a failed read fails the pass, naming the cause', async () => {
    const fake = source('team-params');
    await expect(
      readClassParams(
        fake.read,
        'demo',
        { namespace: '', name: 'g' },
        [ingress('shop', 'team', 'g')],
        CLASSES,
      ),
    ).rejects.toThrow('forbidden');
  });
});
