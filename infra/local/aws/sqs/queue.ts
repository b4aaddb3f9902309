/**
 * One standard queue's messages on the endpoint's clock. A message is visible once its delay
 * has passed and while no receive holds it; a receive hides it for the visibility timeout and
 * hands out a new receipt handle; only the latest handle deletes it. Past the redrive policy's
 * maxReceiveCount, the receive that would deliver it again moves it to the dead-letter queue
 * instead. Messages older than the retention period are dropped. Every time a message becomes
 * visible, `onVisible` fires (long polls and the local event source mapping wait on it).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../context.js';
import type { QueueSettings } from './attributes.js';

export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, unknown>;
  /** epoch ms it was first enqueued (kept across a redrive, as AWS keeps it for retention) */
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** the handle of the latest receive, while the message is or was in flight */
  receipt?: string;
  /** when the latest receive happened (the visibility timeout is capped 12 h after it) */
  receivedAt?: number;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes: Record<string, string>;
  MessageAttributes?: Record<string, unknown>;
}

export const MAX_VISIBILITY_SECONDS = 43_200;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export class Queue {
  readonly messages = new Map<string, StoredMessage>();
  private readonly timers = new Map<string, () => void>();
  private receiveSeq = 0;
  lastModifiedAt: number;
  lastPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly arn: string,
    public settings: QueueSettings,
    readonly createdAt: number,
    private readonly clock: Clock,
    private readonly onVisible: (queue: Queue) => void,
    /** hands a message past maxReceiveCount to the dead-letter queue of that ARN */
    private readonly redrive: (arn: string, message: StoredMessage) => void,
  ) {
    this.lastModifiedAt = createdAt;
  }

  send(body: string, delaySeconds: number, messageAttributes?: Record<string, unknown>): StoredMessage {
    const now = this.clock.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      ...(messageAttributes === undefined ? {} : { messageAttributes }),
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.accept(message);
    return message;
  }

  /** Takes in a message as it is (a redrive from another queue keeps its id and sent time). */
  accept(message: StoredMessage): void {
    this.messages.set(message.id, message);
    this.wakeAt(message);
  }

  /** Up to `max` visible messages, oldest first, hidden for `visibilitySeconds`. */
  receive(max: number, visibilitySeconds: number): ReceivedMessage[] {
    const now = this.clock.now();
    const out: ReceivedMessage[] = [];
    for (const message of [...this.messages.values()]) {
      if (out.length >= max) break;
      if (this.expired(message, now) || message.visibleAt > now) continue;
      const policy = this.settings.redrivePolicy;
      if (policy !== undefined && message.receiveCount >= policy.maxReceiveCount) {
        this.forget(message.id);
        // a dead-letter queue deleted since then takes nothing: the message is gone
        this.redrive(policy.deadLetterTargetArn, this.forDeadLetterQueue(message));
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receivedAt = now;
      message.receipt = this.newReceipt(message.id);
      message.visibleAt = now + visibilitySeconds * 1000;
      this.wakeAt(message);
      out.push({
        MessageId: message.id,
        ReceiptHandle: message.receipt,
        MD5OfBody: message.md5OfBody,
        Body: message.body,
        Attributes: {
          SenderId: 'AIDALOCALSLBC00000000',
          SentTimestamp: String(message.sentAt),
          ApproximateReceiveCount: String(message.receiveCount),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
        ...(message.messageAttributes === undefined ? {} : { MessageAttributes: message.messageAttributes }),
      });
    }
    return out;
  }

  /** The message a receipt handle names, if it still exists and the handle is its latest. */
  byReceipt(handle: string): StoredMessage | undefined {
    const id = Queue.messageIdOf(handle);
    const message = id === undefined ? undefined : this.messages.get(id);
    return message?.receipt === handle ? message : undefined;
  }

  delete(id: string): void {
    this.forget(id);
  }

  /** Makes an in-flight message visible again after `seconds` (0: at once). */
  changeVisibility(message: StoredMessage, seconds: number): void {
    message.visibleAt = this.clock.now() + seconds * 1000;
    this.wakeAt(message);
  }

  inFlight(message: StoredMessage): boolean {
    return message.receipt !== undefined && message.visibleAt > this.clock.now();
  }

  purge(): void {
    for (const id of [...this.messages.keys()]) this.forget(id);
  }

  counts(): { visible: number; inFlight: number; delayed: number } {
    const now = this.clock.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (this.expired(message, now)) continue;
      if (message.visibleAt <= now) visible++;
      else if (message.receipt !== undefined) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Receipt handles are opaque to clients; locally they carry the message id. */
  static messageIdOf(handle: string): string | undefined {
    const decoded = Buffer.from(handle, 'base64url').toString('utf8');
    const match = /^slbc-local:([0-9a-f-]{36}):\d+$/.exec(decoded);
    return match?.[1];
  }

  /** the message as its dead-letter queue receives it: visible at once, never received there */
  private forDeadLetterQueue(message: StoredMessage): StoredMessage {
    const { receipt: _receipt, receivedAt: _receivedAt, firstReceivedAt: _first, ...rest } = message;
    return { ...rest, receiveCount: 0, visibleAt: this.clock.now() };
  }

  private newReceipt(id: string): string {
    return Buffer.from(`slbc-local:${id}:${++this.receiveSeq}`, 'utf8').toString('base64url');
  }

  private expired(message: StoredMessage, now: number): boolean {
    if (now - message.sentAt < this.settings.messageRetentionPeriod * 1000) return false;
    this.forget(message.id);
    return true;
  }

  private forget(id: string): void {
    this.messages.delete(id);
    this.timers.get(id)?.();
    this.timers.delete(id);
  }

  /** Fires onVisible when `message` becomes visible (now, or at visibleAt on the clock). */
  private wakeAt(message: StoredMessage): void {
    this.timers.get(message.id)?.();
    this.timers.delete(message.id);
    const wait = message.visibleAt - this.clock.now();
    if (wait <= 0) {
      this.onVisible(this);
      return;
    }
    const cancel = this.clock.setTimer(wait, () => {
      this.timers.delete(message.id);
      if (this.messages.has(message.id)) this.onVisible(this);
    });
    this.timers.set(message.id, cancel);
  }
}
