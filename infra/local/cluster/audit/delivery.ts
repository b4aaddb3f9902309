/**
 * CloudWatch Logs → Lambda subscription delivery of the audit log. Lines are written to one of
 * several `kube-apiserver-audit-<hex>` streams (EKS runs more than one API server), batched per
 * stream by count, bytes and time, gzip+base64 encoded as `{"awslogs":{"data":...}}` and handed
 * to the sink after a delivery delay on the clock, spread by a seeded jitter as EKS's "within a
 * few minutes" is. A stream's payloads still arrive in the order they were written (CloudWatch
 * ingests a stream in order); only different streams overtake each other. Chaos knobs reproduce
 * what best-effort delivery does to a consumer: lines lost, lines delivered twice, payloads out
 * of order.
 */
import { gzipSync } from 'node:zlib';
import type { Clock } from '../../aws/context.js';
import type { Rng } from '../rng.js';

export interface CloudWatchLogEvent {
  id: string;
  timestamp: number;
  message: string;
}

export interface SubscriptionPayload {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: CloudWatchLogEvent[];
}

/** The literal Lambda input CloudWatch Logs sends. */
export interface SubscriptionLambdaEvent {
  awslogs: { data: string };
}

export type SubscriptionSink = (event: SubscriptionLambdaEvent) => Promise<unknown> | unknown;

export interface BatchOptions {
  /** log events per payload (default 500) */
  maxEvents?: number;
  /** bytes of messages per payload, 26 bytes overhead per event as PutLogEvents counts (default 1 MiB) */
  maxBytes?: number;
  /** how long the first line of a batch waits for company (default 1000 ms) */
  maxWaitMs?: number;
}

export interface ChaosOptions {
  /** chance that a line is delivered a second time, in a later payload */
  duplicate?: number;
  /** chance that a payload is held back so later ones overtake it */
  reorder?: number;
  /** chance that a line is never delivered */
  drop?: number;
}

export interface DeliveryOptions {
  clock: Clock;
  rng: Rng;
  account: string;
  clusterName: string;
  /** concurrent audit streams (default 2) */
  streams?: number;
  filterName?: string;
  batch?: BatchOptions;
  /** from a batch closing to the Lambda invocation (default 1000 ms; EKS takes minutes) */
  deliveryDelayMs?: number;
  /** each payload's delay is deliveryDelayMs ± up to jitterMs, uniform (default 0) */
  jitterMs?: number;
  chaos?: ChaosOptions;
  /** failed sink calls are retried this many times, deliveryDelayMs apart (default 2) */
  retries?: number;
}

export interface DeliveryTiming {
  deliveryDelayMs: number;
  jitterMs: number;
}

export interface DeliveryCounters {
  linesWritten: number;
  linesDelivered: number;
  linesDropped: number;
  linesDuplicated: number;
  payloadsDelivered: number;
  payloadsReordered: number;
  deliveryFailures: number;
}

interface OpenBatch {
  events: CloudWatchLogEvent[];
  bytes: number;
  cancelTimer: () => void;
}

interface ScheduledPayload {
  id: number;
  due: number;
  stream: string;
  events: CloudWatchLogEvent[];
  attempt: number;
  cancelTimer: () => void;
}

const EVENT_OVERHEAD_BYTES = 26;

export function encodePayload(payload: SubscriptionPayload): SubscriptionLambdaEvent {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

export class SubscriptionDelivery {
  readonly logGroup: string;
  readonly streamNames: readonly string[];
  readonly counters: DeliveryCounters = {
    linesWritten: 0,
    linesDelivered: 0,
    linesDropped: 0,
    linesDuplicated: 0,
    payloadsDelivered: 0,
    payloadsReordered: 0,
    deliveryFailures: 0,
  };
  private sink: SubscriptionSink | undefined;
  /** payloads delivered while no sink was attached, oldest first */
  private readonly outbox: SubscriptionLambdaEvent[] = [];
  private readonly open = new Map<string, OpenBatch>();
  private readonly scheduled = new Map<number, ScheduledPayload>();
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  private payloadSeq = 0;
  /** per stream, when its last in-order payload falls due: later ones never overtake it */
  private readonly lastDue = new Map<string, number>();
  private timing: DeliveryTiming;

  constructor(private readonly options: DeliveryOptions) {
    this.logGroup = `/aws/eks/${options.clusterName}/cluster`;
    const count = Math.max(1, options.streams ?? 2);
    this.streamNames = Array.from({ length: count }, () => `kube-apiserver-audit-${options.rng.hex(32)}`);
    this.timing = checkTiming({
      deliveryDelayMs: options.deliveryDelayMs ?? 1000,
      jitterMs: options.jitterMs ?? 0,
    });
  }

  /** Changes the lag of payloads sealed from now on (payloads already scheduled keep theirs). */
  setTiming(timing: Partial<DeliveryTiming>): void {
    this.timing = checkTiming({ ...this.timing, ...timing });
  }

  currentTiming(): DeliveryTiming {
    return { ...this.timing };
  }

  setSink(sink: SubscriptionSink | undefined): void {
    this.sink = sink;
  }

  /** Payloads delivered while no sink was attached; empties the outbox. */
  drainOutbox(): SubscriptionLambdaEvent[] {
    return this.outbox.splice(0);
  }

  /** Appends one audit line (JSON) written at `timestamp` to a stream. */
  add(message: string, timestamp: number): void {
    const { rng, chaos } = this.options;
    this.counters.linesWritten++;
    if (rng.chance(chaos?.drop ?? 0)) {
      this.counters.linesDropped++;
      return;
    }
    const stream = this.streamNames[rng.int(this.streamNames.length)] as string;
    const event: CloudWatchLogEvent = { id: this.nextEventId(timestamp), timestamp, message };
    this.append(stream, event);
    if (rng.chance(chaos?.duplicate ?? 0)) {
      // CloudWatch and Lambda's async queue redeliver whole invocations: the copy keeps its id.
      this.counters.linesDuplicated++;
      this.schedule(stream, [event], this.delay() + this.reorderWindow());
    }
  }

  /** Closes every open batch and delivers everything scheduled now, in due order. */
  async flush(): Promise<void> {
    for (const stream of [...this.open.keys()]) this.seal(stream);
    const due = [...this.scheduled.values()].sort((a, b) => a.due - b.due || a.id - b.id);
    for (const payload of due) {
      payload.cancelTimer();
      this.scheduled.delete(payload.id);
      this.deliver(payload);
    }
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** true when no line waits in a batch, no payload waits for its time and no sink call runs */
  isIdle(): boolean {
    return this.open.size === 0 && this.scheduled.size === 0 && this.inFlight.size === 0;
  }

  /** lines in open batches plus scheduled payloads' lines */
  pendingLines(): number {
    let lines = 0;
    for (const batch of this.open.values()) lines += batch.events.length;
    for (const payload of this.scheduled.values()) lines += payload.events.length;
    return lines;
  }

  /** Resolves once every sink call started so far has settled. */
  async settleInFlight(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  stop(): void {
    for (const batch of this.open.values()) batch.cancelTimer();
    for (const payload of this.scheduled.values()) payload.cancelTimer();
    this.open.clear();
    this.scheduled.clear();
  }

  private append(stream: string, event: CloudWatchLogEvent): void {
    const maxEvents = this.options.batch?.maxEvents ?? 500;
    const maxBytes = this.options.batch?.maxBytes ?? 1024 * 1024;
    const size = Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
    const current = this.open.get(stream);
    if (current && current.bytes + size > maxBytes) this.seal(stream);
    let batch = this.open.get(stream);
    if (!batch) {
      const cancelTimer = this.options.clock.setTimer(this.options.batch?.maxWaitMs ?? 1000, () =>
        this.seal(stream),
      );
      batch = { events: [], bytes: 0, cancelTimer };
      this.open.set(stream, batch);
    }
    batch.events.push(event);
    batch.bytes += size;
    if (batch.events.length >= maxEvents) this.seal(stream);
  }

  private seal(stream: string): void {
    const batch = this.open.get(stream);
    if (!batch) return;
    batch.cancelTimer();
    this.open.delete(stream);
    if (this.options.rng.chance(this.options.chaos?.reorder ?? 0)) {
      // chaos: held back outside the stream's order, so later payloads overtake it
      this.counters.payloadsReordered++;
      this.schedule(stream, batch.events, this.delay() + 1 + this.options.rng.int(this.reorderWindow()));
      return;
    }
    const now = this.options.clock.now();
    const due = Math.max(now + this.jitteredDelay(), this.lastDue.get(stream) ?? 0);
    this.lastDue.set(stream, due);
    this.schedule(stream, batch.events, due - now);
  }

  private schedule(stream: string, events: CloudWatchLogEvent[], delayMs: number, attempt = 0): void {
    const id = this.payloadSeq++;
    const payload: ScheduledPayload = {
      id,
      due: this.options.clock.now() + delayMs,
      stream,
      events,
      attempt,
      cancelTimer: () => {},
    };
    payload.cancelTimer = this.options.clock.setTimer(delayMs, () => {
      this.scheduled.delete(id);
      this.deliver(payload);
    });
    this.scheduled.set(id, payload);
  }

  private deliver(payload: ScheduledPayload): void {
    const lambdaEvent = encodePayload({
      messageType: 'DATA_MESSAGE',
      owner: this.options.account,
      logGroup: this.logGroup,
      logStream: payload.stream,
      subscriptionFilters: [this.options.filterName ?? 'slbc-audit'],
      logEvents: payload.events,
    });
    const sink = this.sink;
    if (!sink) {
      this.outbox.push(lambdaEvent);
      this.countDelivered(payload);
      return;
    }
    const call = (async () => {
      try {
        await sink(lambdaEvent);
        this.countDelivered(payload);
      } catch {
        this.counters.deliveryFailures++;
        if (payload.attempt < (this.options.retries ?? 2))
          this.schedule(payload.stream, payload.events, this.delay(), payload.attempt + 1);
      }
    })();
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
  }

  private countDelivered(payload: ScheduledPayload): void {
    this.counters.payloadsDelivered++;
    this.counters.linesDelivered += payload.events.length;
  }

  private delay(): number {
    return this.timing.deliveryDelayMs;
  }

  /** the base delay ± jitter, never below zero */
  private jitteredDelay(): number {
    const { deliveryDelayMs, jitterMs } = this.timing;
    if (jitterMs <= 0) return deliveryDelayMs;
    const offset = Math.floor((this.options.rng.next() * 2 - 1) * jitterMs);
    return Math.max(0, deliveryDelayMs + offset);
  }

  private reorderWindow(): number {
    return Math.max(2 * this.delay(), 1000);
  }

  /** 56 decimal digits like CloudWatch's ids: time, a sequence for uniqueness, then noise. */
  private nextEventId(timestamp: number): string {
    const time = String(Math.floor(timestamp)).padStart(15, '0');
    const seq = String(this.sequence++).padStart(12, '0');
    return `3${time}${seq}${this.options.rng.digits(28)}`;
  }
}

function checkTiming(timing: DeliveryTiming): DeliveryTiming {
  for (const field of ['deliveryDelayMs', 'jitterMs'] as const)
    if (!Number.isFinite(timing[field]) || timing[field] < 0)
      throw new Error(`audit delivery: ${field}: must be a number >= 0 (got ${timing[field]})`);
  return timing;
}
