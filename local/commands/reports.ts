import { invokeFunction, type InvokeOptions } from '../operator/invokeFunction.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- reports replay --report <reportId> --function <NotifyFunctionName>`: sends a
 * report kept after a channel missed it through notify's retries (the ReportUndelivered alarm and
 * log line name it) to the channels still missing it, once each. The deployed notify function does
 * the work: it has the channels, the delivery records and the kept report.
 */

export interface ReplayOptions {
  report: string;
  function: string;
  region?: string;
}

interface ReplayAnswer {
  reportId: string;
  found?: false;
  deliveredNow?: string[];
  deliveredEarlier?: string[];
  failed?: string[];
}

export async function runReportsReplay(options: ReplayOptions, out: Output, invoke: (payload: unknown, o: InvokeOptions) => Promise<unknown> = invokeFunction): Promise<number> {
  const answer = (await invoke({ replayReport: options.report }, { functionName: options.function, ...(options.region ? { region: options.region } : {}) })) as ReplayAnswer;
  if (answer?.found === false) {
    out.line(`No report ${options.report} is kept: it was replayed already, or its 15 days passed, or the id is not the one the ReportUndelivered log line names.`);
    return 1;
  }
  const list = (l?: string[]) => (l?.length ? l.join(', ') : 'none');
  out.line(`Report ${answer.reportId}: sent now to ${list(answer.deliveredNow)}; had it already: ${list(answer.deliveredEarlier)}; still missing: ${list(answer.failed)}.`);
  if (answer.failed?.length) {
    out.line('The report stays kept for the channels still missing it: fix them and replay again.');
    return 1;
  }
  return 0;
}
