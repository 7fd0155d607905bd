/** How the CLI talks to a person: plain lines, headings, a boxed message, errors to stderr. */
export interface Output {
  color: boolean;
  line(text: string): void;
  heading(text: string): void;
  box(text: string): void;
  error(text: string): void;
}

/** Where the lines go: process.stdout and process.stderr, or what a test collects them in. */
interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function terminalOutput(stream: Stream = process.stdout, errors: Stream = process.stderr): Output {
  const color = !!stream.isTTY && !process.env.NO_COLOR;
  const bold = (t: string) => (color ? `\u001b[1m${t}\u001b[0m` : t);
  return {
    color,
    line: (text) => void stream.write(`${text}\n`),
    heading: (text) => void stream.write(`\n${bold(text)}\n${'─'.repeat(Math.min(text.length, 80))}\n`),
    box: (text) => void stream.write(text.split('\n').map((l) => `  │ ${l}`).join('\n') + '\n'),
    error: (text) => void errors.write(`${color ? '\u001b[31m' : ''}${text}${color ? '\u001b[0m' : ''}\n`),
  };
}
