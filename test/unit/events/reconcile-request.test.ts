import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/errors.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import { requestedKey } from '../../../shared/events/reconcile-request.js';

const event = (detailType: string, detail: unknown): BusEvent => ({
  version: '0',
  id: 'e1',
  'detail-type': detailType,
  source: 'slbc.internal',
  account: '0',
  time: '2026-11-26T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});
const ok = (key: string) => ({ version: 1, cluster: 'demo', key, reason: 'resync', observedAt: 'now' });

describe('requestedKey', () => {
  it.each([
    ['a stack key for stacks', 'stack#', ok('stack#demo#ingress/web'), 'stack#demo#ingress/web'],
    ['a target group key for targets', 'tg#', ok('tg#arn:x'), 'tg#arn:x'],
    ['a target group key for stacks', 'stack#', ok('tg#arn:x'), undefined],
    ['a stack key for targets', 'tg#', ok('stack#demo#ingress/web'), undefined],
  ] as const)('%s', (_name, prefix, detail, expected) => {
    expect(requestedKey(event('Reconcile Requested', detail), prefix, ['demo'])).toBe(expected);
  });

  it('leaves other detail-types alone', () => {
    expect(requestedKey(event('Pod Changed', {}), 'tg#', ['demo'])).toBeUndefined();
  });

  it.each([
    ['an unknown version', { ...ok('tg#a'), version: 2 }, 'detail.version'],
    ['a missing key', { ...ok('tg#a'), key: undefined }, 'detail.key'],
    ['an unserved cluster', { ...ok('tg#a'), cluster: 'other' }, 'detail.cluster'],
  ])('refuses %s, naming the field', (_name, detail, field) => {
    try {
      requestedKey(event('Reconcile Requested', detail), 'tg#', ['demo']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).subject?.field).toBe(field);
    }
  });
});
