/**
 * The account's queues by name, their URLs and ARNs, and who waits for a message to become
 * visible (long polls, the local event source mapping). A deleted name stays taken for 60
 * seconds on the clock, as AWS documents for DeleteQueue.
 */
import type { Clock } from '../context.js';
import type { QueueSettings } from './attributes.js';
import { nonExistentQueue, sqsError } from './errors.js';
import { Queue, type StoredMessage } from './queue.js';

const NAME_REUSE_WAIT_MS = 60_000;

export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private readonly deletedAt = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();
  /** scheme and authority of queue URLs; the server sets it once it listens */
  baseUrl: string;

  constructor(
    private readonly account: string,
    private readonly region: string,
    private readonly clock: Clock,
  ) {
    this.baseUrl = `https://sqs.${region}.amazonaws.com`;
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.account}:${name}`;
  }

  urlOf(name: string): string {
    return `${this.baseUrl}/${this.account}/${name}`;
  }

  names(): string[] {
    return [...this.queues.keys()].sort();
  }

  byName(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  byArn(arn: string): Queue | undefined {
    const name = arn.split(':').at(-1) ?? '';
    return arn === this.arnOf(name) ? this.queues.get(name) : undefined;
  }

  /** Any host works (AWS's, the endpoint's): the path `/<account>/<name>` names the queue. */
  byUrl(url: string): Queue {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      throw sqsError(
        'InvalidAddress',
        'InvalidAddress',
        `The address ${url} is not valid for this endpoint.`,
        404,
      );
    }
    const match = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80})\/?$/.exec(path);
    const queue = match !== null && match[1] === this.account ? this.queues.get(match[2]!) : undefined;
    if (queue === undefined) throw nonExistentQueue(url);
    return queue;
  }

  create(name: string, settings: QueueSettings): Queue {
    const deleted = this.deletedAt.get(name);
    if (deleted !== undefined && this.clock.now() - deleted < NAME_REUSE_WAIT_MS)
      throw sqsError(
        'QueueDeletedRecently',
        'AWS.SimpleQueueService.QueueDeletedRecently',
        `You must wait 60 seconds after deleting a queue before you can create another with the same name (${name}).`,
      );
    const queue = new Queue(
      name,
      this.arnOf(name),
      settings,
      this.clock.now(),
      this.clock,
      (q) => this.wake(q.name),
      (arn, message) => this.redrive(arn, message),
    );
    this.queues.set(name, queue);
    return queue;
  }

  delete(queue: Queue): void {
    queue.stop();
    this.queues.delete(queue.name);
    this.deletedAt.set(queue.name, this.clock.now());
    this.wake(queue.name);
  }

  /** Calls `listener` (on a later tick) each time a message of the queue becomes visible. */
  onVisible(name: string, listener: () => void): () => void {
    const set = this.waiters.get(name) ?? new Set<() => void>();
    this.waiters.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  wakeAll(): void {
    for (const name of this.waiters.keys()) this.wake(name);
  }

  stop(): void {
    for (const queue of this.queues.values()) queue.stop();
    this.wakeAll();
  }

  private wake(name: string): void {
    const listeners = this.waiters.get(name);
    if (listeners === undefined || listeners.size === 0) return;
    // later, never inside the send or receive that made the message visible
    setImmediate(() => {
      for (const listener of [...listeners]) listener();
    });
  }

  private redrive(arn: string, message: StoredMessage): void {
    this.byArn(arn)?.accept(message);
  }
}
