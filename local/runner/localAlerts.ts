import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handler as awaitAlert } from '../../functions/awaitAlert/index.js';
import { handler as receiveAlert } from '../../functions/receiveAlert/index.js';
import type { AlertWake, WakeTask } from '../../functions/core/workflow/wake.js';

/**
 * Push completion on this machine: the real receiver handler behind a real HTTP server on
 * 127.0.0.1 (the simulator delivers its alerts there, signed like Atlas), and the real awaitAlert
 * handler behind the WaitForAlert task. What Step Functions does in AWS (hold a task until its
 * token comes back or its timeout passes) is done here by `waitForAlert`, on the world's clock.
 */

/** Stands in for Step Functions' task tokens: a wait resolves when its token is sent back. */
export class LocalWakeBoard {
  private readonly pending = new Map<string, (wake: AlertWake) => void>();

  /** A promise of the wake for this token; registered before the task starts, so an immediate wake is not lost. */
  expect(token: string): Promise<AlertWake> {
    return new Promise((resolve) => this.pending.set(token, resolve));
  }

  /** The token's wait is over without a wake (its backstop passed): a later wake finds it gone. */
  forget(token: string): void {
    this.pending.delete(token);
  }

  readonly wake: WakeTask = async (token, wake) => {
    const resolve = this.pending.get(token);
    if (!resolve) return 'gone';
    this.pending.delete(token);
    resolve(wake);
    return 'woken';
  };
}

/** The clock a local wait runs on: the simulator's (manual or scaled), or a discrete-event one. */
export interface WaitClock {
  now?(): number;
  advance(ms: number): void | Promise<void>;
  /** Manual clocks: the next moment the simulator acts by itself (e.g. delivers an alert). */
  nextDue?(): number | undefined;
  /** Clocks that run by themselves: resolves after `ms` of their time, or at once when `signal` aborts. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export class StatesTimeoutError extends Error {
  override readonly name = 'States.Timeout';
}

/**
 * The WaitForAlert task, locally: register through the real handler, then wait on the clock until
 * the token comes back or the backstop passes (then fail with States.Timeout, as Step Functions does).
 * `settle` lets work the clock started (an alert being delivered) finish before the wait looks again.
 */
export async function waitForAlert(
  payload: unknown,
  options: { board: LocalWakeBoard; clock?: WaitClock; settle?: () => Promise<void> },
): Promise<AlertWake> {
  const { taskToken, waitSeconds } = payload as { taskToken: string; waitSeconds: number };
  let wake: AlertWake | undefined;
  const woken = options.board.expect(taskToken).then((w) => (wake = w));
  await awaitAlert(payload);
  await options.settle?.();
  const clock = options.clock;
  if (!wake && clock) {
    if (clock.sleep) {
      const stop = new AbortController();
      void woken.then(() => stop.abort());
      await clock.sleep(waitSeconds * 1000, stop.signal);
    } else if (clock.now) {
      // A manual clock: step to each moment the simulator acts, until woken or the backstop.
      const now = clock.now.bind(clock);
      const end = now() + waitSeconds * 1000;
      while (!wake && now() < end) {
        const due = clock.nextDue?.();
        const to = due !== undefined && due < end ? Math.max(due, now()) : end;
        await clock.advance(to - now());
        await options.settle?.();
      }
    } else {
      await clock.advance(waitSeconds * 1000);
      await options.settle?.();
    }
  }
  if (wake) return wake;
  options.board.forget(taskToken);
  throw new StatesTimeoutError(`No alert within the backstop of ${waitSeconds} s`);
}

/** The receiver on 127.0.0.1: each request becomes the API Gateway proxy event the Lambda gets. */
export async function startAlertReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    // Taken whole, as API Gateway does (up to its 10 MB): the handler refuses what is too large.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const event = { httpMethod: req.method ?? 'POST', path: req.url ?? '/alerts', headers, body: Buffer.concat(chunks).toString('utf8'), isBase64Encoded: false };
      void receiveAlert(event as unknown as APIGatewayProxyEvent).then((answer) => {
        res.writeHead(answer.statusCode, answer.headers as Record<string, string>).end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
