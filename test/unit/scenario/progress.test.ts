import { describe, expect, it } from 'vitest';
import { describeUnsettled } from '../../../infra/local/scenario/progress.js';

const NOW = 1_800_000_000_000;
const KEY = 'stack#demo#ingress/default/web';

describe('describeUnsettled: why a key is still dirty', () => {
  it.each([
    {
      name: 'nobody works it',
      entry: { key: KEY, gen: 3, doneGen: 1 },
      errors: [],
      text: `${KEY}: gen 3, done 1, no lease (nobody is working it: waiting for an event or resync)`,
    },
    {
      name: 'its holder crashed',
      entry: { key: KEY, gen: 2, doneGen: 1, leaseOwner: 'inv-7', leaseUntil: NOW - 1 },
      errors: [],
      text: `${KEY}: gen 2, done 1, lease of inv-7 expired (holder crashed or stalled)`,
    },
    {
      name: 'a pass is running, with the last error recorded for the key',
      entry: { key: KEY, gen: 2, doneGen: 1, leaseOwner: 'inv-8', leaseUntil: NOW + 60_000 },
      errors: [
        { key: 'tg#other', message: 'not this one' },
        { key: KEY, message: 'CreateListener: TooManyListeners' },
      ],
      text: `${KEY}: gen 2, done 1, leased by inv-8; last error: CreateListener: TooManyListeners`,
    },
  ])('$name', ({ entry, errors, text }) => {
    expect(describeUnsettled(entry, NOW, errors)).toBe(text);
  });
});
