import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../../local/runner/execute.js';
import { NO_LIVE_LINE, terminalLiveLine, type LiveLine } from '../../../local/runner/liveLine.js';
import { createProgressPrinter, progressWords } from '../../../local/runner/progress.js';

/** The line a terminal shows between looks: what is said, when it is shown, and that it is wiped. */

function recordingLive(): LiveLine & { shown: (() => string)[]; clears: number } {
  const rec = { shown: [] as (() => string)[], clears: 0 };
  return Object.assign(rec, { show: (r: () => string) => void rec.shown.push(r), clear: () => void rec.clears++ });
}

const poll = (status: object, waitSeconds: number, next = 'wait') => ({
  type: 'StateExited',
  state: { name: 'PollRestore', output: { status, poll: { count: 3, waitSeconds, next } } },
});

describe('the live line between looks', () => {
  it('counts down to the next look on the real clock, with Atlas’s progress where it gives one', () => {
    let real = 1_000_000;
    const live = recordingLive();
    const lines: string[] = [];
    const print = createProgressPrinter({ write: (l) => lines.push(l), now: () => 0, live: { line: live, realNow: () => real } });
    print(poll({ state: 'RUNNING', atlasStatus: 'restoring', progress: { restoredDocuments: 340, totalDocuments: 1000, namespaces: [] } }, 130) as unknown as EventLog);
    expect(live.shown).toHaveLength(1);
    expect(live.shown[0]!().trim()).toBe('running, 34 % done (Atlas: restoring), next look in 2m10s');
    real += 70_000;
    expect(live.shown[0]!().trim()).toBe('running, 34 % done (Atlas: restoring), next look in 1m00s');
    // The next event wipes it before its own line.
    const clears = live.clears;
    print(poll({ state: 'SUCCEEDED', atlasStatus: 'done' }, 0, 'report') as unknown as EventLog);
    expect(live.clears).toBeGreaterThan(clears);
    expect(live.shown).toHaveLength(1);
    expect(lines).toHaveLength(2);
  });

  it('says Atlas’s own word when it gives no progress', () => {
    expect(progressWords({ status: { state: 'RUNNING', atlasStatus: 'in progress' } })).toBe('running (Atlas: in progress)');
  });

  it('is shown only on a terminal, and rewritten in place there', async () => {
    const piped = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    expect(terminalLiveLine(piped)).toBe(NO_LIVE_LINE);
    const written: string[] = [];
    const tty = { isTTY: true, columns: 80, rows: 24, write: (t: string) => (written.push(t), true), on: () => tty, off: () => tty, once: () => tty, removeListener: () => tty } as unknown as NodeJS.WriteStream;
    const live = terminalLiveLine(tty, 10);
    let n = 0;
    live.show(() => `next look in ${++n}s`);
    await new Promise((r) => setTimeout(r, 35));
    live.clear();
    const text = written.join('');
    expect(text).toContain('next look in 1s');
    expect(text).toContain('next look in 2s');
    // Rewritten in place: the cursor goes back up and the line is erased between updates.
    expect(text).toMatch(/\u001b\[2K/);
    const after = written.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(written.length).toBe(after);
  });
});
