import { ERROR_NAMES } from '../domain/errors.js';
import { causeMessage, redact } from '../domain/redact.js';
import { restoreTarget } from '../restore/request.js';
import { TERMINAL_STATES } from '../restore/status.js';
import { failedStepReason } from '../postRestore/verdict.js';
import { unseenSinceCancel } from '../orchestrate/watch.js';
import type { Notice, NotifyInput, Outcome, ReportOutcome } from '../workflow/contract.js';

/**
 * Which of the six end states a run reached, and why in words. Rules, first match wins:
 *
 * 1. a guard refused the restore (error `RestoreRefused`, caught from create): REFUSED;
 * 2. the deadline passed (`poll.deadlinePassed`: the cancel step ran, or was caught trying) and
 *    Atlas did not say SUCCEEDED: TIMED_OUT, with Atlas's last word and any cancel error;
 * 3. any other caught error: FAILED, with the error's name and its message (never its trace).
 *    A bad request (`RestoreRequestInvalid`) or an unknown plan (`RestorePlanNotFound`) is FAILED
 *    too, not REFUSED: REFUSED means a guard said no to a valid request ("worked as designed"),
 *    while an invalid one is a mistake someone has to fix, and people read the two differently;
 * 4. Atlas's own end state: SUCCEEDED, FAILED, CANCELLED or EXPIRED; a SUCCEEDED whose
 *    post-restore step failed or timed out is VERIFICATION_FAILED (data restored, check failed);
 * 5. anything else (no status, or a job still running without a deadline): FAILED, saying so.
 *
 * A job Atlas finished successfully just as the deadline passed is SUCCEEDED: the data is there.
 */
export interface OutcomeDecision {
  outcome: ReportOutcome;
  /** Why, for people; absent when Atlas said the job succeeded and had nothing to add. */
  reason?: string;
  /** An interim report: the job may still run, the workflow goes on watching, the target stays locked. */
  notice?: Notice;
  /** The end is reported after interim reports: this one closes them. */
  closing?: boolean;
  /** Atlas may still be writing to the target: the lock must not be released. */
  jobMayStillRun: boolean;
}

/** Errors after which a create's POST may have reached Atlas though no job was seen. */
const AMBIGUOUS_CREATE = new Set<string>([ERROR_NAMES.ambiguousCreate, 'Sandbox.Timedout', 'States.Timeout']);

/**
 * What we know of a job whose last looks failed: "last seen RUNNING at T (N h M min ago); not seen
 * since", never "is still running" from a stale look. Undefined when the last look read the job.
 */
function lastSeen(input: NotifyInput, now?: Date): string | undefined {
  const { poll, status } = input;
  // After a cancel Atlas accepted, a failed look knows only that: never "running" from the look before it.
  if (poll && unseenSinceCancel(poll)) return `had its cancel accepted by Atlas at ${poll.cancelAcceptedAt}; not seen since`;
  if (!(poll?.failures ?? 0) || !status) return undefined;
  const seen = status.atlasStatus ?? status.state;
  if (!poll?.seenAt) return `was last seen ${seen} when the restore started; not seen since`;
  const ago = now ? Math.max(0, Math.round((now.getTime() - Date.parse(poll.seenAt)) / 60_000)) : undefined;
  const agoText = ago === undefined ? '' : ` (${ago >= 60 ? `${Math.floor(ago / 60)} h ${ago % 60} min` : `${ago} min`} ago)`;
  return `was last seen ${seen} at ${poll.seenAt}${agoText}; not seen since`;
}

export function decideOutcome(input: NotifyInput, now?: Date): OutcomeDecision {
  const decision = decideEnd(input);
  const { status, poll, restore } = input;
  const ended = status !== undefined && TERMINAL_STATES.includes(status.state);
  const job = restore?.job.jobIds?.join(', ') ?? restore?.job.jobId;
  const notes = [...(restore?.quietNotes ?? []), poll?.cancelNote, poll?.lastFailure && `last look at Atlas: ${poll.lastFailure.name}: ${redact(poll.lastFailure.message)}`];

  // A job we know of that has not ended: say so plainly, every time.
  if (restore && status && !ended && !input.error) {
    const target = restoreTarget(restore.request);
    // A download overwrites no cluster and holds no lock: only the job itself is still going.
    const stale = lastSeen(input, now);
    // From a stale look, only what was seen and when: the job may have ended since.
    const cancelled = poll !== undefined && unseenSinceCancel(poll);
    const running = cancelled
      ? `${stale}, so it may not have stopped yet`
      : stale
        ? `${stale}, so it may still be ${target ? `running onto ${target.clusterName}` : 'preparing the download'}`
        : target
          ? `still running onto ${target.clusterName}`
          : 'still preparing the download';
    const maybe = cancelled
      ? 'may not have stopped yet'
      : target
        ? `may still be running onto ${target.clusterName}`
        : 'may still be preparing the download';
    const lockUntil = restore.lockUntil ? ` (its lock lapses on its own at ${restore.lockUntil})` : '';
    if (poll?.next === 'report' && poll.notice && !poll.watchOver) {
      const why =
        poll.notice === 'STILL_RUNNING_AFTER_DEADLINE'
          ? `the plan's deadline (${restore.deadlineAt}) passed and Atlas job ${job} is ${running}`
          : `Atlas job ${job} cannot be read right now${stale ? ` (it ${stale})` : ''}, so it ${maybe}`;
      const until = `at most until ${restore.watchUntil ?? 'the watch limit'}`;
      const watch = target
        ? `we keep watching it until it ends (${until}); the target stays locked until then and a closing report follows`
        : `we keep watching it until it ends (${until}) and a closing report follows`;
      return { outcome: 'RUNNING', notice: poll.notice, jobMayStillRun: true, reason: join([why, ...notes, watch]) };
    }
    const stopped = target
      ? `we stopped watching at the watch limit (${restore.watchUntil ?? 'unknown'}) while Atlas job ${job} had not been seen to end${stale ? ` (it ${stale})` : ''}: it ${maybe}; the target stays locked${lockUntil}; check the job in Atlas before using ${target.clusterName}`
      : `we stopped watching at the watch limit (${restore.watchUntil ?? 'unknown'}) while Atlas job ${job} had not been seen to end: it ${maybe}; check the job in Atlas`;
    return { ...decision, closing: (poll?.noticesSent?.length ?? 0) > 0, jobMayStillRun: true, reason: join([decision.reason, ...notes, stopped]) };
  }
  if (!restore && input.error && AMBIGUOUS_CREATE.has(input.error.Error)) {
    const unknown = 'the create may have reached Atlas though no job was found: look for the job in Atlas before retrying; the target stays locked until its lock lapses';
    return { ...decision, jobMayStillRun: true, reason: join([decision.reason, unknown]) };
  }
  const closing = (poll?.noticesSent?.length ?? 0) > 0;
  // What became of a cancel is part of every end it led to.
  const reason = closing
    ? join([`Atlas job ${job} has ended (${status?.atlasStatus ?? status?.state}); this closes the earlier reports`, decision.reason, ...notes])
    : join([decision.reason, ...(restore?.quietNotes ?? []), poll?.cancelNote]) || undefined;
  return { ...decision, closing, jobMayStillRun: false, ...(reason ? { reason } : {}) };
}

const join = (parts: (string | undefined | false)[]): string => parts.filter(Boolean).join('; ');


/** The end state alone, before anything is said about a job that may still run. */
function decideEnd(input: NotifyInput): { outcome: Outcome; reason?: string } {
  const { error, status, poll, restore } = input;
  const caught = error ? `${error.Error}: ${causeMessage(error.Cause)}` : undefined;
  if (error?.Error === ERROR_NAMES.refused) return { outcome: 'REFUSED', reason: caught! };

  if (poll?.deadlinePassed && status?.state !== 'SUCCEEDED') {
    const parts = [
      poll && unseenSinceCancel(poll)
        ? `the plan's deadline (${restore?.deadlineAt ?? 'unknown'}) passed; Atlas accepted the cancel at ${poll.cancelAcceptedAt} and the job was not seen since`
        : `the plan's deadline (${restore?.deadlineAt ?? 'unknown'}) passed while Atlas said ${status?.atlasStatus ?? status?.state ?? 'nothing'}`,
      status?.detail,
      caught && `the cancel step could not finish (${caught})`,
    ];
    return { outcome: 'TIMED_OUT', reason: parts.filter(Boolean).join('; ') };
  }
  if (caught) return { outcome: 'FAILED', reason: caught };

  if (!status) return { outcome: 'FAILED', reason: 'the workflow ended without a status or an error to report' };
  switch (status.state) {
    case 'SUCCEEDED': {
      // The data is restored; a post-restore step that failed makes it unfit for use all the same.
      const failedStep = failedStepReason(input.steps, causeMessage);
      if (failedStep) return { outcome: 'VERIFICATION_FAILED', reason: failedStep };
      return { outcome: status.state, ...(status.detail ? { reason: redact(status.detail) } : {}) };
    }
    case 'FAILED':
    case 'CANCELLED':
    case 'EXPIRED':
      return { outcome: status.state, ...(status.detail ? { reason: redact(status.detail) } : {}) };
    default:
      return { outcome: 'FAILED', reason: `Atlas could not be read to the end (the job was last seen ${status.state})` };
  }
}
