/**
 * A counting semaphore: at most `limit` holders, the rest served first come, first served. A
 * release hands the slot straight to the next waiter, so none can jump the queue. Used for
 * Lambda's concurrency (a function's reserved concurrency here, the account's in the local
 * runtime) and the local runtime's SDK call gate.
 */
export class Slots {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** resolves once a slot is held */
  acquire(): Promise<void> {
    if (this.held < this.limit) {
      this.held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** hands the slot to the next in line, or frees it */
  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.held -= 1;
    else next();
  }

  get running(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
