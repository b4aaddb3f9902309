import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import { SubscriptionDelivery } from '../../../infra/local/cluster/audit/delivery.js';
import { decodeSubscriptionEvent } from '../../../infra/local/cluster/index.js';
import { seededRng } from '../../../infra/local/cluster/rng.js';

interface Arrival {
  at: number;
  stream: string;
  messages: string[];
}

/** One line per 2 s on `streams` streams, batches closing after 1 s; arrivals recorded on the clock. */
function run(options: { deliveryDelayMs: number; jitterMs: number; streams: number; lines: number }) {
  const clock = virtualClock();
  const arrivals: Arrival[] = [];
  const d = new SubscriptionDelivery({
    clock,
    rng: seededRng(11),
    account: '111122223333',
    clusterName: 'demo',
    streams: options.streams,
    batch: { maxWaitMs: 1000 },
    deliveryDelayMs: options.deliveryDelayMs,
    jitterMs: options.jitterMs,
  });
  d.setSink((event) => {
    const payload = decodeSubscriptionEvent(event);
    arrivals.push({
      at: clock.now(),
      stream: payload.logStream,
      messages: payload.logEvents.map((e) => e.message),
    });
  });
  const written = new Map<string, number>();
  for (let i = 0; i < options.lines; i++) {
    written.set(`line-${i}`, clock.now());
    d.add(`line-${i}`, clock.now());
    clock.advance(2000);
  }
  clock.advance(10 * (options.deliveryDelayMs + options.jitterMs) + 10_000);
  return { arrivals, written };
}

describe('audit delivery lag', () => {
  const cases = [
    { name: 'fixed lag', deliveryDelayMs: 60_000, jitterMs: 0, streams: 1 },
    { name: 'lag with jitter, one stream', deliveryDelayMs: 60_000, jitterMs: 30_000, streams: 1 },
    { name: 'lag with jitter, three streams', deliveryDelayMs: 60_000, jitterMs: 30_000, streams: 3 },
  ];
  for (const c of cases)
    it(`${c.name}: every line arrives within delay ± jitter of its batch closing, each stream in order`, () => {
      const { arrivals, written } = run({ ...c, lines: 60 });
      const lags: number[] = [];
      for (const arrival of arrivals)
        for (const message of arrival.messages) lags.push(arrival.at - (written.get(message) as number));
      expect(lags).toHaveLength(60);
      // the batch closes 1 s after its line; a stream's order can push a payload later than its own draw
      expect(Math.min(...lags)).toBeGreaterThanOrEqual(c.deliveryDelayMs - c.jitterMs + 1000);
      if (c.jitterMs === 0) expect(new Set(lags)).toEqual(new Set([c.deliveryDelayMs + 1000]));
      else expect(Math.max(...lags) - Math.min(...lags)).toBeGreaterThan(c.jitterMs / 2);
      for (const stream of new Set(arrivals.map((a) => a.stream))) {
        const order = arrivals
          .filter((a) => a.stream === stream)
          .flatMap((a) => a.messages.map((m) => Number(m.slice(5))));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    });

  it('different streams overtake each other under jitter', () => {
    const { arrivals } = run({ deliveryDelayMs: 60_000, jitterMs: 30_000, streams: 3, lines: 60 });
    const order = arrivals.flatMap((a) => a.messages.map((m) => Number(m.slice(5))));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('setTiming changes the lag of later payloads and refuses a negative value, naming the field', () => {
    const clock = virtualClock();
    const d = new SubscriptionDelivery({ clock, rng: seededRng(1), account: '1', clusterName: 'demo' });
    expect(d.currentTiming()).toEqual({ deliveryDelayMs: 1000, jitterMs: 0 });
    d.setTiming({ deliveryDelayMs: 45_000, jitterMs: 15_000 });
    expect(d.currentTiming()).toEqual({ deliveryDelayMs: 45_000, jitterMs: 15_000 });
    expect(() => d.setTiming({ jitterMs: -1 })).toThrow(/jitterMs: must be a number >= 0/);
  });
});
