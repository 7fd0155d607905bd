import { describe, expect, it } from 'vitest';
import {
  buildReport,
  formatSeconds,
  renderJson,
  renderSlack,
  renderTeams,
  renderText,
  renderWebhook,
  reportTitle,
  type RestoreReport,
} from '../../../functions/core/notify/message.js';
import { decideOutcome } from '../../../functions/core/notify/outcome.js';
import type { NotifyInput } from '../../../functions/core/workflow/contract.js';
import { context, download, ENDED, ended, JOB, PROD, PROD_GROUP, SNAPSHOT, STAGING, STAGING_GROUP, status } from './fixtures.js';

/** One report per restore end, and its text, Slack, Teams and JSON renderings. */

const URL_A = 'https://restore-downloads.example.net/a/prod-cluster-shard-0.tar.gz';
const URL_B = 'https://restore-downloads.example.net/a/prod-cluster-shard-1.tar.gz';
const EXPIRES = '2026-03-02T04:02:00Z';

const report = (input: NotifyInput, now = ENDED): RestoreReport => buildReport(input, decideOutcome(input), now);

function downloadReport(): RestoreReport {
  return report(
    ended({
      restore: context({ request: download, summary: `cloud restore of prod-cluster (project ${PROD_GROUP}), snapshot ${SNAPSHOT}, as a download` }),
      status: status({ createdAt: '2026-03-01T03:00:30Z', atlasStatus: 'download ready', delivery: { urls: [URL_A, URL_B], expiresAt: EXPIRES } }),
    }),
  );
}

const refusedInput: NotifyInput = {
  planName: 'nightly-staging',
  request: { kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: SNAPSHOT, target: { groupId: STAGING_GROUP, clusterName: 'prod-replica' } },
  trigger: { type: 'alarm', alarmName: 'orders-table-dropped', time: '2026-03-01T03:59:00Z' },
  error: { Error: 'RestoreRefused', Cause: 'prod-replica is protected' },
};

describe('buildReport', () => {
  it("a finished restore: every field; it ended when Atlas says it finished, and took as long as Atlas's clock says", () => {
    expect(report(ended({ restore: context({ adopted: true }), status: status({ createdAt: '2026-03-01T03:00:30Z' }) }))).toEqual({
      reportId: 'nightly-staging-20260301T030000Z/SUCCEEDED',
      outcome: 'SUCCEEDED',
      phase: 'final',
      jobMayStillRun: false,
      title: 'Atlas Restore Succeeded',
      restoreId: 'nightly-staging-20260301T030000Z',
      planName: 'nightly-staging',
      trigger: 'schedule 2026-03-01T03:00:00Z',
      summary: expect.stringContaining('onto staging-cluster'),
      kind: 'cloud',
      source: `prod-cluster (project ${PROD_GROUP})`,
      target: `staging-cluster (project ${STAGING_GROUP})`,
      snapshotId: SNAPSHOT,
      jobIds: [JOB],
      atlasStatus: 'finished',
      adopted: true,
      startedAt: '2026-03-01T03:00:00.000Z',
      endedAt: '2026-03-01T04:02:00.000Z',
      durationSeconds: 3690,
      durationClock: 'atlas',
      polls: 40,
      downloads: [],
    });
  });

  it('without a finish time from Atlas (timed out, caught error) it ends now', () => {
    const r = report(ended({ status: status({ state: 'RUNNING', finishedAt: undefined }), poll: { count: 3, waitSeconds: 1, deadlinePassed: true } }));
    expect(r.outcome).toBe('TIMED_OUT');
    expect(r.endedAt).toBe(ENDED.toISOString());
    expect(r.durationSeconds).toBe(3725);
    expect(r.durationClock).toBe('orchestrator');
  });

  it('never measures from our start to Atlas\'s finish: a sped-up or skewed Atlas clock would make that meaningless', () => {
    // A simulator at x600: Atlas says the job ran 2 h; the orchestrator saw 12 s pass.
    const fast = ended({
      restore: context({ startedAt: '2026-03-01T03:00:00.000Z' }),
      status: status({ finishedAt: '2026-03-01T05:00:00Z' }),
      poll: { count: 1, waitSeconds: 5, deadlinePassed: false },
    });
    const r = report(fast, new Date('2026-03-01T03:00:12Z'));
    expect(r).not.toHaveProperty('durationSeconds');
    expect(renderText(r)).not.toContain('Took');
    const running = report({ ...fast, status: status({ state: 'RUNNING', finishedAt: undefined }) }, new Date('2026-03-01T03:00:12Z'));
    expect(renderText(running)).toContain('Took: 12 s since the restore started, 1 poll');
    const atlas = report({ ...fast, status: status({ createdAt: '2026-03-01T03:00:01Z', finishedAt: '2026-03-01T05:00:01Z' }) }, new Date('2026-03-01T03:00:12Z'));
    expect(renderText(atlas)).toContain("Took: 2 h 0 min by Atlas's clock (job created to finished), 1 poll");
  });

  it('says the Atlas calls beside the polls, and both without a duration', () => {
    const counted = ended({
      restore: context({ startedAt: '2026-03-01T03:00:00.000Z' }),
      status: status({ createdAt: '2026-03-01T03:00:01Z', finishedAt: '2026-03-01T05:00:01Z' }),
      poll: { count: 40, atlasCalls: 52, waitSeconds: 5, deadlinePassed: false },
    });
    const r = report(counted, new Date('2026-03-01T05:00:12Z'));
    expect(r.atlasCalls).toBe(52);
    expect(renderText(r)).toContain("Took: 2 h 0 min by Atlas's clock (job created to finished), 40 polls, 52 Atlas calls");
    const noDuration = report({ ...counted, status: status({ finishedAt: '2026-03-01T05:00:01Z' }) }, new Date('2026-03-01T05:00:12Z'));
    expect(noDuration).not.toHaveProperty('durationSeconds');
    expect(renderText(noDuration)).toContain('Work: 40 polls, 52 Atlas calls');
    expect(renderText(noDuration)).not.toContain('Took');
  });

  it('a download: every link with its expiry, and the target says nothing is overwritten', () => {
    const r = downloadReport();
    expect(r.downloads).toEqual([
      { url: URL_A, expiresAt: EXPIRES },
      { url: URL_B, expiresAt: EXPIRES },
    ]);
    expect(r.target).toBe('download (no cluster overwritten)');
  });

  it('a point-in-time restore says which moment: seconds, oplog timestamp and increment, legacy millis', () => {
    const pit = (request: object) => report(ended({ restore: context({ request: request as never }) }));
    const cloud = { kind: 'cloud', source: PROD, deliveryType: 'pointInTime', target: STAGING } as const;
    expect(pit({ ...cloud, pointInTimeUTCSeconds: 1_772_333_400 })).toMatchObject({ pointInTime: '2026-03-01T02:50:00.000Z' });
    const oplog = pit({ ...cloud, oplogTs: 1_772_333_400, oplogInc: 7 });
    expect(oplog).toMatchObject({ pointInTime: '2026-03-01T02:50:00.000Z', oplogInc: 7 });
    expect(renderText(oplog)).toContain('Point in time: 2026-03-01T02:50:00.000Z (oplog increment 7)');
    const legacy = { kind: 'legacy', source: PROD, pointInTimeUTCMillis: 1_772_333_400_500, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } };
    expect(pit(legacy)).toMatchObject({ pointInTime: '2026-03-01T02:50:00.500Z', kind: 'legacy' });
  });

  it('a create refused with the bare input {planName, request, trigger, error}: says what was asked', () => {
    const r = report(refusedInput);
    expect(r).toEqual({
      reportId: expect.stringMatching(/^run-[0-9a-f]{16}\/REFUSED$/),
      outcome: 'REFUSED',
      phase: 'final',
      jobMayStillRun: false,
      title: 'Atlas Restore Refused',
      planName: 'nightly-staging',
      trigger: 'alarm orders-table-dropped 2026-03-01T03:59:00Z',
      kind: 'cloud',
      source: `prod-cluster (project ${PROD_GROUP})`,
      target: `prod-replica (project ${STAGING_GROUP})`,
      snapshotId: SNAPSHOT,
      jobIds: [],
      endedAt: ENDED.toISOString(),
      downloads: [],
      reason: 'RestoreRefused: prod-replica is protected',
    });
  });

  it('a run that failed at create is reported under its own restore id, so two runs with the same input never share a report id', () => {
    const first = report({ ...refusedInput, run: { restoreId: 'refresh-1' } });
    const second = report({ ...refusedInput, run: { restoreId: 'refresh-2' } });
    expect(first.reportId).toBe('refresh-1/REFUSED');
    expect(first.restoreId).toBe('refresh-1');
    expect(second.reportId).toBe('refresh-2/REFUSED');
  });

  it('an unreadable raw request is left out rather than guessed', () => {
    const r = report({ request: { kind: 'cloud', nonsense: true }, error: { Error: 'RestoreRequestInvalid' } });
    expect(r).not.toHaveProperty('source');
    expect(r).not.toHaveProperty('target');
    expect(r).not.toHaveProperty('durationSeconds');
  });

  it('is the same for the same input and time (a retried notify sends the same words)', () => {
    expect(downloadReport()).toEqual(downloadReport());
    expect(report(refusedInput)).toEqual(report(refusedInput));
  });

  it('the report id never depends on the clock; with Atlas’s finish time, neither does anything else', () => {
    const withCreated = () => ended({ status: status({ createdAt: '2026-03-01T03:00:30Z' }) });
    expect(report(withCreated(), new Date('2026-03-01T05:00:00Z'))).toEqual(report(withCreated(), ENDED));
    expect(report(ended(), new Date('2026-03-01T05:00:00Z'))).toEqual(report(ended(), ENDED));
    expect(report(refusedInput, new Date('2030-01-01T00:00:00Z')).reportId).toBe(report(refusedInput).reportId);
    // Another refused run gets another id.
    expect(report({ ...refusedInput, planName: 'other' }).reportId).not.toBe(report(refusedInput).reportId);
  });

  it('titles every outcome', () => {
    expect(reportTitle('TIMED_OUT')).toBe('Atlas Restore Timed Out');
    expect(reportTitle('EXPIRED')).toBe('Atlas Restore Expired');
    expect(reportTitle('SUCCEEDED')).toBe('Atlas Restore Succeeded');
  });

  it('a caught poll error with a Lambda-style Cause: the message, never the trace or a secret', () => {
    const cause = JSON.stringify({
      errorType: 'AtlasAuthFailed',
      errorMessage: 'Atlas refused the key for https://cloud.mongodb.com/api/atlas/v2/groups/x?privateKey=abc; client_secret=s3cr3t',
      trace: ['AtlasAuthFailed: Atlas refused', '    at pollRestoreStep (/var/task/index.mjs:1:99)'],
    });
    const r = report(ended({ status: status({ state: 'RUNNING' }), error: { Error: 'AtlasAuthFailed', Cause: cause } }));
    expect(r.outcome).toBe('FAILED');
    for (const out of [JSON.stringify(r), renderText(r), JSON.stringify(renderSlack(r)), JSON.stringify(renderTeams(r))]) {
      expect(out).toContain('AtlasAuthFailed: Atlas refused the key');
      expect(out).not.toContain('/var/task');
      expect(out).not.toContain('pollRestoreStep');
      expect(out).not.toContain('s3cr3t');
      expect(out).not.toContain('privateKey=abc');
    }
  });
});

describe('formatSeconds', () => {
  it('hours and minutes, minutes and seconds, or seconds', () => {
    expect(formatSeconds(3725)).toBe('1 h 2 min');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(0)).toBe('0 s');
  });
});

describe('renderers', () => {
  const finished = report(ended({ status: status({ createdAt: '2026-03-01T03:00:30Z' }) }));
  const refused = report(refusedInput);

  it('text: title, summary, snapshot, start and end, duration with polls, job', () => {
    const text = renderText(finished);
    expect(text.split('\n')[0]).toBe('Atlas Restore Succeeded');
    expect(text).toContain(`What: ${finished.summary}`);
    expect(text).toContain(`Snapshot: ${SNAPSHOT}`);
    expect(text).toContain('Started: 2026-03-01T03:00:00.000Z');
    expect(text).toContain('Ended: 2026-03-01T04:02:00.000Z');
    expect(text).toContain("Took: 1 h 1 min by Atlas's clock (job created to finished), 40 polls");
    expect(text).toContain(`Atlas job: ${JOB}`);
    // The summary already names source and target.
    expect(text).not.toContain('Source:');
  });

  it('text without a summary (a refused create) spells out source and target', () => {
    const text = renderText(refused);
    expect(text).toContain(`Source: prod-cluster (project ${PROD_GROUP})`);
    expect(text).toContain(`Target: prod-replica (project ${STAGING_GROUP})`);
    expect(renderText(report({ planName: 'p1', request: download, error: { Error: 'AtlasNotFound' } }))).toContain('Target: download (no cluster overwritten)');
  });

  it('text: download links with their expiry', () => {
    const text = renderText(downloadReport());
    expect(text).toContain('Download links:');
    expect(text).toContain(`  ${URL_A} (until ${EXPIRES})`);
    expect(text).toContain(`  ${URL_B} (until ${EXPIRES})`);
  });

  it('slack: a fallback text line, a header, facts and links as Slack links with their expiry', () => {
    const slack = renderSlack(downloadReport()) as { text: string; blocks: { type: string; text: { type: string; text: string } }[] };
    expect(slack.text).toContain('Atlas Restore Succeeded: cloud restore of prod-cluster');
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section']);
    expect(slack.blocks[0]?.text).toEqual({ type: 'plain_text', text: 'Atlas Restore Succeeded' });
    expect(slack.blocks[1]?.text.text).toContain(`*Snapshot:* ${SNAPSHOT}`);
    expect(slack.blocks[1]?.text.text).toContain("*Took:* 1 h 1 min by Atlas's clock (job created to finished), 40 polls");
    expect(slack.blocks[2]?.text.text).toContain(`<${URL_A}|file 1> (until ${EXPIRES})`);
    expect(slack.blocks[2]?.text.text).toContain(`<${URL_B}|file 2> (until ${EXPIRES})`);
  });

  it('slack: <, > and & in facts are escaped, so a reason cannot inject a link or a mention', () => {
    const r = report(ended({ status: status({ state: 'FAILED', detail: 'disk <full> & <!channel>' }) }));
    const text = (renderSlack(r) as { blocks: { text: { text: string } }[] }).blocks[1]?.text.text;
    expect(text).toContain('disk &lt;full&gt; &amp; &lt;!channel&gt;');
  });

  it('teams: an Adaptive Card in a message envelope, with a fact set and the links', () => {
    const teams = renderTeams(downloadReport()) as {
      type: string;
      attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] } }[];
    };
    expect(teams.type).toBe('message');
    const card = teams.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[0]).toMatchObject({ type: 'TextBlock', text: 'Atlas Restore Succeeded', color: 'Good' });
    const facts = card.content.body.find((b) => b.type === 'FactSet')?.facts;
    expect(facts).toEqual(expect.arrayContaining([{ title: 'Snapshot', value: SNAPSHOT }, { title: 'Took', value: "1 h 1 min by Atlas's clock (job created to finished), 40 polls" }]));
    expect(JSON.stringify(card)).toContain(`[file 2](${URL_B}) (until ${EXPIRES})`);
  });

  it('json: the report itself; renderWebhook picks the rendering by format', () => {
    const r = downloadReport();
    expect(renderJson(r)).toEqual(r);
    expect(renderWebhook('json', r)).toEqual(r);
    expect(renderWebhook('slack', r)).toEqual(renderSlack(r));
    expect(renderWebhook('teams', r)).toEqual(renderTeams(r));
  });

  it('a refused create shows the plan and the reason; no rendering ever prints "undefined"', () => {
    for (const out of [renderText(refused), JSON.stringify(renderSlack(refused)), JSON.stringify(renderTeams(refused))]) {
      expect(out).not.toContain('undefined');
      expect(out).toContain('nightly-staging');
      expect(out).toContain('RestoreRefused: prod-replica is protected');
    }
    for (const r of [finished, downloadReport()]) {
      for (const out of [renderText(r), JSON.stringify(renderSlack(r)), JSON.stringify(renderTeams(r))]) expect(out).not.toContain('undefined');
    }
  });
});
