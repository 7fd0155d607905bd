import { AsyncLocalStorage } from 'node:async_hooks';
import type { SimClock } from './clock.js';

/**
 * A discrete-event clock: simulated time stands still while anything is at work and jumps to the
 * next moment something is due once everything waits. Shared by the simulator (job ends, token
 * buckets, scheduled alerts), the state machine's waits and retries and the Atlas client's retry
 * sleeps, so a run's numbers depend on its inputs alone, never on how fast the machine is.
 *
 * "Everything waits" means: every worker (a workflow started with `run`) is inside `sleep`, and no
 * tracked work (`track`: e.g. an alert the simulator is delivering) is in flight. A sleep belongs
 * to the worker whose async call chain it runs in (AsyncLocalStorage), so a sleep outside every
 * worker never stands in for a worker that is still busy.
 */
export interface VirtualClock extends SimClock {
  readonly mode: 'virtual';
  /** Resolves when virtual time reaches now + ms, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `work` as one worker: until it ends, time moves only while it sleeps. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Time waits for `work` to settle (work started outside any worker). */
  track<T>(work: Promise<T>): Promise<T>;
}

interface Due {
  at: number;
  seq: number;
  fire: () => void;
  /** The worker a sleep belongs to; none for timers and sleeps outside every worker. */
  worker?: Worker;
}

interface Worker {
  sleeps: number;
}

export function createVirtualClock(start: number): VirtualClock {
  let current = start;
  let seq = 0;
  let workers = 0;
  /** Workers with at least one sleep pending. */
  let waiting = 0;
  let busy = 0;
  let checkQueued = false;
  const queue = new Set<Due>();
  const activeWorker = new AsyncLocalStorage<Worker>();

  const idle = () => busy === 0 && waiting === workers && queue.size > 0;

  const wake = (worker: Worker | undefined): void => {
    if (worker && --worker.sleeps === 0) waiting--;
  };

  /** Takes every entry due at or before `at` out of the queue, earliest first (ties in order queued). */
  const takeDue = (at: number): Due[] => {
    const due = [...queue].filter((d) => d.at <= at).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const d of due) queue.delete(d);
    return due;
  };

  const fireUpTo = (at: number): void => {
    for (const d of takeDue(at)) {
      current = Math.max(current, d.at);
      d.fire();
    }
    current = Math.max(current, at);
  };

  // Checked a macrotask later, not synchronously: a worker that just woke must get to run (and
  // count as running) before anyone decides that everything waits.
  const queueCheck = (): void => {
    if (checkQueued) return;
    checkQueued = true;
    setImmediate(() => {
      checkQueued = false;
      if (!idle()) return;
      const next = Math.min(...[...queue].map((d) => d.at));
      fireUpTo(Math.max(current, next));
      queueCheck();
    });
  };

  const enqueue = (at: number, fire: () => void, worker?: Worker): Due => {
    const due: Due = { at, seq: seq++, fire, ...(worker && { worker }) };
    queue.add(due);
    if (worker && worker.sleeps++ === 0) waiting++;
    queueCheck();
    return due;
  };

  const remove = (due: Due): void => {
    if (queue.delete(due)) {
      wake(due.worker);
      queueCheck();
    }
  };

  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError(`sleep needs a non-negative number of ms, got ${ms}`));
    if (ms === 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onAbort = () => {
        remove(due);
        resolve();
      };
      const worker = activeWorker.getStore();
      const due = enqueue(
        current + ms,
        () => {
          wake(worker);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        worker,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    mode: 'virtual',
    scale: 0,
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of ms, got ${ms}`);
      fireUpTo(current + ms);
    },
    schedule(at, run) {
      const due = enqueue(at, run);
      // Already due: runs now, as on the other clocks, not at the next time everything waits.
      if (at <= current) queueMicrotask(() => queue.delete(due) && run());
      return () => remove(due);
    },
    nextDue: () => (queue.size ? Math.min(...[...queue].map((d) => d.at)) : undefined),
    sleep,
    track(work) {
      busy++;
      const settle = () => {
        busy--;
        queueCheck();
      };
      work.then(settle, settle);
      return work;
    },
    async run(work) {
      workers++;
      try {
        return await activeWorker.run({ sleeps: 0 }, work);
      } finally {
        workers--;
        queueCheck();
      }
    },
  };
}
