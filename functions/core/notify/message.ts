import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { WebhookChannel } from '../plans/schema.js';
import { pollsUntilHeard } from '../workflow/wake.js';
import { restoreTarget, RestoreRequestSchema, type RestoreRequest } from '../restore/request.js';
import type { Notice, NotifyInput, Outcome, ReportOutcome } from '../workflow/contract.js';
import { describeLinkChannels, type DownloadLinkChannel } from '../plans/downloadLinkChannels.js';
import { progressFacts } from './collectionProgress.js';
import type { RestoreStatus } from '../restore/status.js';
import { causeMessage, redact, redactDeep } from '../domain/redact.js';
import type { OutcomeDecision } from './outcome.js';
import { outputText, stepOutcomes, type StepOutcome } from '../postRestore/results.js';
import { describeStepError } from '../postRestore/verdict.js';

/**
 * The one report of a restore's end, built once and rendered per channel. It says what was
 * restored, from which snapshot or point in time, onto what, how long it took, and for downloads
 * where the data is and until when. It is also the EventBridge event's detail, so automation reads
 * the same facts people do.
 *
 * Deterministic: the same input and clock give the same report, and `reportId` and the end time
 * (Atlas's own finish time when it gave one) do not depend on the clock at all, so a retried
 * notify says the same thing and consumers can drop the repeat by `reportId`.
 */
export interface RestoreReport {
  /** Stable per run and outcome: `<restoreId>/<OUTCOME>`, or a hash of the input when create failed before a restore id existed. */
  reportId: string;
  outcome: ReportOutcome;
  /**
   * `final`: the one report of a restore whose job ended before anything else had to be said;
   * `interim`: the job may still run (past the deadline, or not visible), the target stays locked;
   * `closing`: the end of a restore that had interim reports.
   */
  phase: 'final' | 'interim' | 'closing';
  /** Why an interim report was sent. */
  notice?: Notice;
  /** Atlas may still be writing to the target: the target is still locked. */
  jobMayStillRun: boolean;
  /** e.g. "Atlas Restore Succeeded": the message title and the EventBridge detail-type. */
  title: string;
  restoreId?: string;
  planName?: string;
  /** How it started, e.g. "schedule 2026-01-02T03:00:00Z" or "alarm db-corruption 2026-…". */
  trigger?: string;
  /** create's sentence: what, from which snapshot or time, onto what. */
  summary?: string;
  kind?: RestoreRequest['kind'];
  /** "prod-cluster (project 65f1…)". */
  source?: string;
  /** The cluster overwritten, or "download (no cluster overwritten)". */
  target?: string;
  snapshotId?: string;
  checkpointId?: string;
  /** ISO-8601: the moment a point-in-time restore went back to. */
  pointInTime?: string;
  /** With an oplog-based point in time: the increment within `pointInTime`'s second. */
  oplogInc?: number;
  /** Every Atlas job id behind the restore (several for a sharded legacy restore). */
  jobIds: string[];
  atlasStatus?: string;
  /** True when create attached to a job already in flight instead of creating one. */
  adopted?: boolean;
  startedAt?: string;
  endedAt: string;
  durationSeconds?: number;
  /**
   * Which clock measured durationSeconds: Atlas's (the job's createdAt to finishedAt) or the
   * orchestrator's (the restore's start to now). Never one end from each: a simulator's sped-up
   * clock, or a skewed one, would make the difference meaningless.
   */
  durationClock?: 'atlas' | 'orchestrator';
  polls?: number;
  /** HTTP requests sent to Atlas for the restore (create, looks, Digest challenges, retries, listings, cancel, tokens). */
  atlasCalls?: number;
  downloads: { url: string; expiresAt?: string }[];
  /** Collection-level restores: documents restored / total and each collection's state (./collectionProgress.ts). */
  progress?: RestoreStatus['progress'];
  /** Where the download links went (./downloadLinks.ts); set when there were links. */
  downloadLinksTo?: string[];
  reason?: string;
  /** The post-restore steps that ran, in order: what each returned and how long it took. */
  steps?: StepOutcome[];
  /**
   * Push was on but no Atlas alert had come lately from these projects, and none came for this
   * restore: it was polled as usual, and alerts may not be set up there (functions/core/push/heard.ts).
   */
  alertsNotHeardFrom?: string[];
  /**
   * Alerts had been arriving from these projects, but none came for this restore's end: the
   * backstop saw it (functions/core/push/missed.ts). Set by notify, which reads the alert store.
   */
  alertMissedFrom?: string[];
  /** A dry run: only the checks ran (refused or failed ones are reported); nothing was created and no history written. */
  dryRun?: boolean;
  /**
   * The plan's holdAfterSuccess placed a hold on the target (set by the finish step, which places
   * it before the report goes out): the cluster and until when, or "released" for until released.
   */
  heldAfter?: { clusterName: string; until: string };
}

const NOTICE_TITLES: Record<Notice, string> = {
  STILL_RUNNING_AFTER_DEADLINE: 'Atlas Restore Past Its Deadline, Still Running',
  NOT_VISIBLE: 'Atlas Restore Not Visible, May Still Be Running',
};

const TITLE_WORDS: Record<Outcome, string> = {
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
  TIMED_OUT: 'Timed Out',
  REFUSED: 'Refused',
  VERIFICATION_FAILED: 'Verification Failed',
};

/** "Atlas Restore Succeeded", "Atlas Restore Timed Out", …: title and EventBridge detail-type. */
export const reportTitle = (outcome: ReportOutcome, notice?: Notice): string =>
  outcome === 'RUNNING' ? NOTICE_TITLES[notice ?? 'NOT_VISIBLE'] : `Atlas Restore ${TITLE_WORDS[outcome]}`;

export function buildReport(input: NotifyInput, decision: OutcomeDecision, now: Date): RestoreReport {
  const { outcome, reason, notice } = decision;
  const phase = notice ? 'interim' : decision.closing ? 'closing' : 'final';
  const { restore, status, poll } = input;
  // A run refused or failed at create has no context: say what was asked from the raw input.
  const asked = RestoreRequestSchema.safeParse(input.request);
  const request = restore?.request ?? (asked.success ? asked.data : undefined);
  const planName = restore?.planName ?? input.planName;
  const trigger = restore?.trigger ?? input.trigger;
  const startedAt = restore?.startedAt;
  const endedAt = endTime(status?.finishedAt, startedAt) ?? now.toISOString();
  const target = request ? restoreTarget(request) : undefined;
  const when = request ? pointInTimeOf(request) : undefined;
  const snapshotId = status?.snapshotId ?? (request && 'snapshotId' in request ? request.snapshotId : undefined);
  const delivery = status?.delivery;
  // Every field passes the one redactor (a step's output, an Atlas detail, a reason); only the
  // download links are kept whole: they are what a download's report exists to carry.
  return redactDeep({
    // One id per report: the end, each interim notice, the closing report (channels' exactly-once key).
    reportId: `${restore?.restoreId ?? input.run?.restoreId ?? `run-${inputHash(input)}`}/${notice ?? outcome}${phase === 'closing' ? '/closing' : ''}`,
    outcome,
    phase,
    ...(notice ? { notice } : {}),
    jobMayStillRun: decision.jobMayStillRun,
    title: reportTitle(outcome, notice),
    ...((restore?.restoreId ?? input.run?.restoreId) ? { restoreId: restore?.restoreId ?? input.run?.restoreId } : {}),
    ...(planName ? { planName } : {}),
    ...(trigger ? { trigger: [trigger.type, trigger.alarmName, trigger.time, trigger.requestedBy && `by ${trigger.requestedBy}`].filter(Boolean).join(' ') } : {}),
    ...(input.dryRun ? { dryRun: true } : {}),
    ...(restore?.summary ? { summary: restore.summary } : {}),
    ...(request ? { kind: request.kind, source: describe(request.source) } : {}),
    ...(request ? { target: target ? describe(target) : 'download (no cluster overwritten)' } : {}),
    ...(snapshotId ? { snapshotId } : {}),
    ...(request?.kind === 'legacy' && request.checkpointId ? { checkpointId: request.checkpointId } : {}),
    ...when,
    jobIds: status?.jobIds ?? [],
    ...(status?.atlasStatus ? { atlasStatus: status.atlasStatus } : {}),
    ...(restore ? { adopted: restore.adopted } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...tookOnOneClock(status, startedAt, now),
    endedAt,
    ...(poll ? { polls: poll.count } : {}),
    ...(poll?.atlasCalls !== undefined ? { atlasCalls: poll.atlasCalls } : {}),
    ...(status?.progress ? { progress: status.progress } : {}),
    downloads: (delivery?.urls ?? []).map((url) => ({ url, ...(delivery?.expiresAt ? { expiresAt: delivery.expiresAt } : {}) })),
    ...(reason ? { reason: redact(reason) } : {}),
    ...(input.steps ? { steps: stepOutcomes(input.steps, (e) => describeStepError(e, causeMessage)) } : {}),
    ...(restore?.push && pollsUntilHeard(restore.push, poll) ? { alertsNotHeardFrom: restore.push.groupIds } : {}),
  }, ['downloads', 'reportId', 'restoreId']);
}

const describe = (c: { groupId: string; clusterName: string }): string => `${c.clusterName} (project ${c.groupId})`;

/** How long the restore took, both ends read from one clock: Atlas's when it gave both, else ours. */
function tookOnOneClock(
  status: { createdAt?: string | undefined; finishedAt?: string | undefined } | undefined,
  startedAt: string | undefined,
  now: Date,
): Pick<RestoreReport, 'durationSeconds' | 'durationClock'> {
  const seconds = (from: number, to: number) => Math.max(0, Math.round((to - from) / 1000));
  const created = status?.createdAt ? Date.parse(status.createdAt) : NaN;
  const finished = status?.finishedAt ? Date.parse(status.finishedAt) : NaN;
  if (!Number.isNaN(created) && !Number.isNaN(finished) && finished >= created) return { durationSeconds: seconds(created, finished), durationClock: 'atlas' };
  // Atlas says when it finished but not when the job began: our start would mix clocks, and `now`
  // would make a retried notify send other words. Say nothing rather than something untrue.
  if (!Number.isNaN(finished)) return {};
  if (startedAt) return { durationSeconds: seconds(Date.parse(startedAt), now.getTime()), durationClock: 'orchestrator' };
  return {};
}

/** Atlas's finish time when it gave a sensible one (not before the start), as ISO-8601. */
function endTime(finishedAt: string | undefined, startedAt: string | undefined): string | undefined {
  const end = finishedAt ? Date.parse(finishedAt) : NaN;
  if (Number.isNaN(end) || (startedAt && end < Date.parse(startedAt))) return undefined;
  return new Date(end).toISOString();
}

function pointInTimeOf(r: RestoreRequest): Pick<RestoreReport, 'pointInTime' | 'oplogInc'> | undefined {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (r.kind === 'cloud' || r.kind === 'collection') {
    if (r.pointInTimeUTCSeconds !== undefined) return { pointInTime: iso(r.pointInTimeUTCSeconds * 1000) };
    if (r.oplogTs !== undefined) return { pointInTime: iso(r.oplogTs * 1000), ...(r.oplogInc !== undefined ? { oplogInc: r.oplogInc } : {}) };
  }
  if (r.kind === 'legacy') {
    if (r.pointInTimeUTCMillis !== undefined) return { pointInTime: iso(r.pointInTimeUTCMillis) };
    if (r.oplogTs !== undefined) return { pointInTime: iso(Date.parse(r.oplogTs)), ...(r.oplogInc !== undefined ? { oplogInc: r.oplogInc } : {}) };
  }
  return undefined;
}

/** A short stable hash of the input (keys sorted), to name a run that never got a restore id. */
function inputHash(input: NotifyInput): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex').slice(0, 16);
}

// ---- Rendering: the same facts in the words and shapes each channel expects ----

export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

/** Label/value pairs in reading order; absent facts are left out, never printed as "undefined". */
function reportFacts(r: RestoreReport): [string, string][] {
  const facts: [string, string | undefined][] = [
    ['Restore', r.restoreId],
    ['Plan', r.planName],
    ['Trigger', r.trigger],
    ['Dry run', r.dryRun ? 'yes: only the checks ran; nothing was created in Atlas and no history was written' : undefined],
    ['What', r.summary],
    // create's summary already names source and target; without one (a refused create) they are spelt out.
    ['Source', r.summary ? undefined : r.source],
    ['Target', r.summary ? undefined : r.target],
    ['Snapshot', r.snapshotId],
    ['Checkpoint', r.checkpointId],
    ['Point in time', r.pointInTime && `${r.pointInTime}${r.oplogInc !== undefined ? ` (oplog increment ${r.oplogInc})` : ''}`],
    [r.jobIds.length > 1 ? 'Atlas jobs' : 'Atlas job', r.jobIds.length ? r.jobIds.join(', ') + (r.adopted ? ' (adopted: it was already running)' : '') : undefined],
    ['Atlas status', r.atlasStatus],
    ['Started', r.startedAt],
    ['Ended', r.endedAt],
    ['Took', r.durationSeconds !== undefined ? took(r) : undefined],
    // Without a duration (Atlas gave only its end) the polls and calls are still worth saying.
    ['Work', r.durationSeconds === undefined ? work(r) : undefined],
    ...progressFacts(r.progress),
    ...(r.steps ?? []).map((step, i): [string, string] => [`Step ${i + 1} ${step.name}`, describeStep(step)]),
    ['Why', r.reason],
    ['Download links sent to', r.downloadLinksTo && describeLinkChannels(r.downloadLinksTo as DownloadLinkChannel[])],
    ['Atlas alerts', r.alertsNotHeardFrom ? notHeard(r.alertsNotHeardFrom) : r.alertMissedFrom && missedAlert(r.alertMissedFrom)],
    ['Held', r.heldAfter && `${r.heldAfter.clusterName} is now held ${r.heldAfter.until === 'released' ? 'until released' : `until ${r.heldAfter.until}`} (the plan's holdAfterSuccess): no restore may overwrite it until then`],
  ];
  return facts.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
}

function notHeard(groupIds: string[]): string {
  return `none came from project ${groupIds.join(' or ')} lately, so this restore was polled as usual. ${checkWiring(groupIds)}`;
}

function missedAlert(groupIds: string[]): string {
  return (
    `none came from project ${groupIds.join(' or ')} for this restore's end, so the backstop saw it, late; ` +
    `the next restores there are polled as usual until an alert arrives. ${checkWiring(groupIds)}`
  );
}

const checkWiring = (groupIds: string[]): string =>
  `If alerts should arrive there, check the wiring: npm run restore -- alerts check --project ${groupIds[0]} --url <the stack's AlertReceiverUrl>`;

function describeStep(step: StepOutcome): string {
  const took = step.seconds !== undefined ? ` in ${formatSeconds(step.seconds)}` : '';
  if (!step.passed) return `${step.failure ?? 'failed'}${step.seconds !== undefined ? ` after ${formatSeconds(step.seconds)}` : ''}`;
  return `passed${took}${step.output !== undefined ? `: ${redact(outputText(step.output))}` : ''}`;
}

/** "40 polls, 52 Atlas calls": what the restore cost in looks and in requests to Atlas. */
function work(r: RestoreReport): string | undefined {
  const parts = [
    r.polls !== undefined ? `${r.polls} ${r.polls === 1 ? 'poll' : 'polls'}` : undefined,
    r.atlasCalls !== undefined ? `${r.atlasCalls} Atlas ${r.atlasCalls === 1 ? 'call' : 'calls'}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(', ') : undefined;
}

/** "1 h 2 min by Atlas's clock (job created to finished), 40 polls, 52 Atlas calls": the clock said, as the CLI's progress lines count on ours. */
function took(r: RestoreReport): string {
  const clock = r.durationClock === 'atlas' ? "by Atlas's clock (job created to finished)" : 'since the restore started';
  return [`${formatSeconds(r.durationSeconds!)} ${clock}`, work(r)].filter(Boolean).join(', ');
}

const until = (d: { expiresAt?: string }) => (d.expiresAt ? ` (until ${d.expiresAt})` : '');

/** Plain text: the SNS message (email, SMS bridges) and the NotifyResult message. */
export function renderText(r: RestoreReport): string {
  const lines = [r.title, '', ...reportFacts(r).map(([k, v]) => `${k}: ${v}`)];
  if (r.downloads.length) lines.push('', 'Download links:', ...r.downloads.map((d) => `  ${d.url}${until(d)}`));
  return lines.join('\n');
}

const SLACK_EMOJI: Partial<Record<ReportOutcome, string>> = { SUCCEEDED: ':white_check_mark:', REFUSED: ':no_entry:', TIMED_OUT: ':hourglass:', RUNNING: ':warning:' };
/** Slack mrkdwn needs these three escaped; its limits: header 150, section text 3000 characters. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Slack incoming webhook body: a fallback `text` plus Block Kit blocks. */
export function renderSlack(r: RestoreReport): object {
  const facts = reportFacts(r).map(([k, v]) => `*${k}:* ${slackEscape(v)}`);
  const link = (d: RestoreReport['downloads'][number], i: number) =>
    /[<>|\s]/.test(d.url) ? slackEscape(d.url) + until(d) : `<${d.url}|file ${i + 1}>${until(d)}`;
  return {
    text: clip(`${r.title}${r.summary ? `: ${r.summary}` : ''}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(r.title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`${SLACK_EMOJI[r.outcome] ?? ':x:'} ${facts.join('\n')}`, 3000) } },
      ...(r.downloads.length
        ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(`*Download links:*\n${r.downloads.map(link).join('\n')}`, 3000) } }]
        : []),
    ],
  };
}

const TEAMS_COLOR: Partial<Record<ReportOutcome, string>> = { SUCCEEDED: 'Good', REFUSED: 'Warning', TIMED_OUT: 'Warning', RUNNING: 'Warning' };

/**
 * Teams: an Adaptive Card in a message envelope. Teams Workflows webhooks accept only Adaptive
 * Cards (the older MessageCard belonged to the retired Office 365 connectors, which took this too).
 */
export function renderTeams(r: RestoreReport): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            { type: 'TextBlock', text: r.title, weight: 'Bolder', size: 'Medium', color: TEAMS_COLOR[r.outcome] ?? 'Attention', wrap: true },
            { type: 'FactSet', facts: reportFacts(r).map(([title, value]) => ({ title, value })) },
            ...(r.downloads.length
              ? [
                  { type: 'TextBlock', text: 'Download links', weight: 'Bolder', wrap: true },
                  ...r.downloads.map((d, i) => ({ type: 'TextBlock', text: `[file ${i + 1}](${d.url})${until(d)}`, wrap: true })),
                ]
              : []),
          ],
        },
      },
    ],
  };
}

/** A plain JSON webhook gets the report itself, as EventBridge does. */
export const renderJson = (r: RestoreReport): RestoreReport => r;

export type WebhookFormat = z.infer<typeof WebhookChannel>['format'];

export function renderWebhook(format: WebhookFormat, r: RestoreReport): object {
  return format === 'slack' ? renderSlack(r) : format === 'teams' ? renderTeams(r) : renderJson(r);
}
