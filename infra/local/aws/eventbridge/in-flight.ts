/**
 * Counts work that has not settled yet (deliveries, retries waiting on the clock, running
 * replays), so `drain()` can resolve exactly when the service has gone quiet.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** marks one piece of work as started; call the returned function once, when it settles */
  hold(): () => void {
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    };
  }

  get size(): number {
    return this.count;
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
