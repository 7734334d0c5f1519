/**
 * A promise-chain mutex: callers run one at a time, in arrival order.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier caller has finished. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
