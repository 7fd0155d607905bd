import { createLogUpdate } from 'log-update';

/**
 * The one line a terminal shows between looks ("running (Atlas: restoring), next look in 2m10s"),
 * rewritten in place every second so a long wait is not a silent one, and wiped before any other
 * line is printed. Only on a terminal: piped or logged output (CI, a file) gets the plain lines
 * alone, and `--quiet` turns it off.
 */
export interface LiveLine {
  /** Shows `render()` now and again every second until `clear`. */
  show(render: () => string): void;
  /** Wipes the line (before a normal line is written, and when the wait ends). */
  clear(): void;
}

export const NO_LIVE_LINE: LiveLine = { show: () => undefined, clear: () => undefined };

export function terminalLiveLine(stream: NodeJS.WriteStream = process.stdout, everyMs = 1000): LiveLine {
  if (!stream.isTTY) return NO_LIVE_LINE;
  const update = createLogUpdate(stream);
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    show(render) {
      stop();
      update(render());
      timer = setInterval(() => update(render()), everyMs);
      // A countdown must never keep the process alive on its own.
      timer.unref();
    },
    clear() {
      if (!timer) return;
      stop();
      update.clear();
    },
  };
}
