import { pollsUntilHeard } from '../../functions/core/workflow/wake.js';
import type { EventLog } from './execute.js';
import type { LiveLine } from './liveLine.js';

/** lib/workflow.ts ALERT_WAIT_STATE (not imported: the printer stays free of CDK). */
const ALERT_WAIT = 'WaitForAlert';

/**
 * Turns execution events into lines a person wants to watch: which step, what Atlas says, how long
 * it has been (on the workflow's clock, which is the simulator's in demos), how many polls so far.
 */

interface StateLike {
  restore?: { summary?: string; job?: { jobId?: string; jobIds?: string[] }; adopted?: boolean; startedAt?: string; push?: { heard?: boolean } };
  status?: { state?: string; atlasStatus?: string };
  poll?: {
    count?: number;
    waitSeconds?: number;
    deadlinePassed?: boolean;
    next?: string;
    lastFailure?: { name?: string };
    failures?: number;
    untilAlert?: boolean;
    alertWakes?: number;
  };
  wake?: { woken?: boolean; eventTypeName?: string; groupId?: string; missed?: boolean };
  notification?: { outcome?: string; watching?: boolean };
  outcome?: string;
  dryRun?: boolean;
  /** Where the workflow puts an error create threw (CATCH_INTO_ERROR): nothing was created. */
  error?: { Error?: string; Cause?: string };
}

/** A restore listening for alerts waits on the backstop, or polls as usual while its projects have not alerted yet. */
const backstopOrPolling = (out: StateLike): string =>
  pollsUntilHeard(out.restore?.push, out.poll) ? '(polling as usual: no Atlas alert from this project yet)' : '(backstop)';

/** The message of a Lambda-style Cause (JSON with errorMessage and a trace), or the Cause as it is. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

export interface ProgressOptions {
  write: (line: string) => void;
  /** The workflow's notion of now (ms): the simulator clock in demos, the wall clock against real Atlas. */
  now: () => number;
  color?: boolean;
  /**
   * A terminal's line between looks (./liveLine.ts): the countdown to the next look, on the real
   * clock (`realNow`), since it is only shown where waits really happen (not against a manual clock).
   */
  live?: { line: LiveLine; realNow: () => number };
}

/** "running, 34 % done" where Atlas says how far it got (collection restores), else Atlas's own word. */
export function progressWords(out: { status?: { state?: string; atlasStatus?: string; progress?: { restoredDocuments: number; totalDocuments: number } } }): string {
  const p = out.status?.progress;
  const done = p && p.totalDocuments > 0 ? `, ${Math.floor((100 * p.restoredDocuments) / p.totalDocuments)} % done` : '';
  const atlas = out.status?.atlasStatus ? ` (Atlas: ${out.status.atlasStatus})` : '';
  return `${(out.status?.state ?? 'running').toLowerCase()}${done}${atlas}`;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
/** After one of these there is no next poll: the workflow goes on to notify. */
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED']);

export function createProgressPrinter(options: ProgressOptions): (event: EventLog) => void {
  const startedAt = options.now();
  const color = options.color ?? false;
  const stamp = () => paint(color, 90, `[+${formatDuration((options.now() - startedAt) / 1000).padStart(6)}]`);
  const live = options.live;
  const line = (text: string) => {
    live?.line.clear();
    options.write(`${stamp()} ${text}`);
  };

  // Each Task's last failure (StateFailed comes just before its StateRetried): the retry line names it.
  const lastFailure = new Map<string, string>();
  const lastSaid = new Map<string, string>();
  return (event) => {
    // Anything that happens ends the wait the live line counted down.
    live?.line.clear();
    if (event.type === 'StateFailed') {
      const failed = event as unknown as { state: { name: string }; Error?: string; Cause?: unknown };
      const cause = causeMessage(typeof failed.Cause === 'string' ? failed.Cause : undefined);
      lastFailure.set(failed.state.name, `${failed.Error ?? 'Error'}${cause ? `: ${cause}` : ''}`);
      return;
    }
    if (event.type === 'StateRetried') {
      // The first retry says what failed (a mistyped port: "connect ECONNREFUSED 127.0.0.1:8091");
      // later ones say whether it is still the same, so a storm of lines does not hide the cause.
      const failure = lastFailure.get(event.state.name);
      const repeat = failure !== undefined && event.retry.attempt > 1 && lastSaid.get(event.state.name) === failure;
      if (failure !== undefined) lastSaid.set(event.state.name, failure);
      const why = failure === undefined ? '' : repeat ? ' (the same again)' : ` (${failure})`;
      line(paint(color, 33, `${event.state.name}: transient Atlas error${why}, retrying (attempt ${event.retry.attempt})`));
      return;
    }
    if (event.type === 'StateCaught') {
      const caught = event as unknown as { state: { name: string }; Error?: string; catch?: { catcher?: { ErrorEquals?: string[] } } };
      // create's exit line says what went wrong (the state's output carries the error).
      if (caught.state.name === 'CreateRestore') return;
      // The alert wait's backstop passing is the normal end of a wait without an alert, not an error.
      if (caught.state.name === ALERT_WAIT) {
        // The backstop passing needs no line: the poll line that follows said when it would come.
        if (!caught.catch?.catcher?.ErrorEquals?.includes('States.Timeout')) line(paint(color, 33, 'could not listen for alerts this time; a plain wait instead'));
        return;
      }
      // A failed look at a job (poll, cancel) is not its end: the workflow keeps watching.
      const after = caught.state.name === 'CreateRestore' ? 'reporting it' : 'still watching the job';
      line(paint(color, 31, `${caught.state.name}: caught ${caught.Error ?? 'an error'}; ${after}`));
      return;
    }
    if (event.type !== 'StateExited') return;
    const name = event.state.name;
    const out = (event.state.output ?? {}) as StateLike;
    switch (name) {
      case ALERT_WAIT: {
        const wake = out.wake;
        if (wake?.woken)
          line(`${paint(color, 35, 'alert')}   Atlas alert received (${wake.eventTypeName ?? 'restore alert'}, project ${wake.groupId ?? '?'})${wake.missed ? ', while registering' : ''}: polling at once`);
        return;
      }
      case 'CreateRestore': {
        // The execution input rides along (dryRun included) with the error create threw.
        if (out.error) {
          const refused = out.error.Error === 'RestoreRefused';
          const what = `${out.dryRun ? 'dry run ' : ''}${refused ? 'refused' : `failed (${out.error.Error ?? 'error'})`}`;
          line(paint(color, 31, `create  ${what}: ${causeMessage(out.error.Cause)}`));
          return;
        }
        if (out.dryRun) {
          line('dry run: resolved the plan, created nothing');
          return;
        }
        const ids = out.restore?.job?.jobIds ?? [out.restore?.job?.jobId];
        line(
          `${paint(color, 36, 'create')}  ${out.restore?.adopted ? 'adopted running job' : 'created job'} ${ids.filter(Boolean).join(', ')}`,
        );
        if (out.restore?.summary) line(`         ${out.restore.summary}`);
        return;
      }
      case 'PollRestore': {
        const state = out.status?.state ?? '?';
        const stateText = state === 'SUCCEEDED' ? paint(color, 32, state) : ENDED.has(state) ? paint(color, 31, state) : state;
        const elapsed = out.restore?.startedAt ? (options.now() - Date.parse(out.restore.startedAt)) / 1000 : undefined;
        const failure = out.poll?.lastFailure?.name;
        const next = out.poll?.next;
        line(
          `${paint(color, 36, 'poll')} #${out.poll?.count ?? '?'}  ${stateText} (Atlas: ${failure ? `could not be read: ${failure}` : (out.status?.atlasStatus ?? '?')})` +
            // On the workflow's clock, like the [+...] stamp; the report's "Took" says which clock it used.
            (elapsed !== undefined ? `  ${formatDuration(elapsed)} since start` : '') +
            (out.poll?.deadlinePassed ? paint(color, 31, '  deadline passed') : '') +
            (ENDED.has(state) || next === 'report' || next === 'cancel'
              ? ''
              : out.poll?.untilAlert
                ? `  next look on an Atlas alert, or in ${formatDuration(out.poll?.waitSeconds ?? 0)} ${backstopOrPolling(out)}`
                : `  next look in ${formatDuration(out.poll?.waitSeconds ?? 0)}`),
        );
        if (live && !ENDED.has(state) && next !== 'report' && next !== 'cancel' && (out.poll?.waitSeconds ?? 0) > 0) {
          const lookAt = live.realNow() + (out.poll?.waitSeconds ?? 0) * 1000;
          const words = progressWords(out);
          live.line.show(() => `         ${words}, next look in ${formatDuration(Math.max(0, (lookAt - live.realNow()) / 1000))}`);
        }
        return;
      }
      case 'CancelRestore':
        line(paint(color, 33, `cancel  deadline passed; Atlas now says ${out.status?.state ?? '?'} (${out.status?.atlasStatus ?? '?'})${(out as { poll?: { cancelNote?: string } }).poll?.cancelNote ? `: ${(out as { poll: { cancelNote: string } }).poll.cancelNote}` : ''}`));
        return;
      case 'NotifyRestore': {
        const outcome = out.outcome ?? out.notification?.outcome ?? '?';
        line(
          out.notification?.watching
            ? paint(color, 33, `notify  interim report: the job may still be running; the target stays locked, still watching`)
            : `${paint(color, 36, 'notify')}  outcome ${outcome}`,
        );
        return;
      }
      default: {
        // A post-restore step ended (lib/post-restore.ts names its states "<plan> step N ended|failed").
        const step = /^.+ step (\d+) (ended|failed)$/.exec(name);
        if (!step) return;
        const entry = (out as { steps?: Record<string, { name?: string; startedAt?: string; ended?: { at?: string }; result?: { output?: unknown }; error?: { Error?: string } }> }).steps?.[`s${step[1]}`];
        const took = entry?.startedAt && entry.ended?.at ? formatDuration((Date.parse(entry.ended.at) - Date.parse(entry.startedAt)) / 1000) : '?';
        line(
          step[2] === 'failed'
            ? paint(color, 31, `step ${step[1]}  ${entry?.name ?? '?'} failed after ${took}: ${entry?.error?.Error ?? 'an error'}`)
            : `${paint(color, 36, 'step')} ${step[1]}  ${entry?.name ?? '?'} passed in ${took}: ${JSON.stringify(entry?.result?.output ?? null).slice(0, 160)}`,
        );
        return;
      }
    }
  };
}
