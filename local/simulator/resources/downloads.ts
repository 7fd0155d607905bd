import { sendJson } from '../http/respond.js';
import type { SpecialRoute } from '../http/pipeline.js';
import { isDownload, phaseAt, type JobState } from '../state/model.js';
import type { Store } from '../state/store.js';

/**
 * The files behind download links. Honest data: a download's content names the snapshot and the
 * data it captured, so a test can prove the right data came out. Links die when the job expires.
 */

export function downloadContent(job: JobState, file: string): string {
  return `${JSON.stringify({
    simulatorDownload: true,
    file,
    groupId: job.groupId,
    clusterName: job.clusterName,
    snapshotId: job.snapshotId,
    dataVersion: job.dataVersion,
  })}\n`;
}

export function downloadRoute(store: Store): SpecialRoute {
  const pattern = /^\/sim-downloads\/([a-f0-9]{24})\/([a-f0-9]+)\/([^/]+)$/;
  return {
    name: 'simulatorDownload',
    method: 'GET',
    faultable: false,
    match: (pathname) => {
      const m = pattern.exec(pathname);
      return m ? { jobId: m[1] as string, token: m[2] as string, file: decodeURIComponent(m[3] as string) } : undefined;
    },
    handle: (_req, res, _body, params, entry) => {
      store.settle();
      const job = store.job(params.jobId as string);
      const reply = (status: number, body: unknown) => {
        entry.status = status;
        sendJson(res, status, body);
      };
      if (!job || !isDownload(job) || job.details.downloadToken !== params.token) return reply(404, { error: 404, detail: 'No such download.' });
      const phase = phaseAt(job, store.now());
      if (phase === 'queued' || phase === 'running') return reply(409, { error: 409, detail: 'The download is not ready yet.' });
      if (phase !== 'succeeded') return reply(410, { error: 410, detail: `The download link is ${phase}.` });
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${params.file}"` });
      res.end(downloadContent(job, params.file as string));
    },
  };
}
