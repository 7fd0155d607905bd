/** How the CLI talks to a person: plain lines, headings, a boxed message, errors to stderr. */
export interface Output {
  color: boolean;
  line(text: string): void;
  heading(text: string): void;
  box(text: string): void;
  error(text: string): void;
}

export function terminalOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  const color = !!stream.isTTY && !process.env.NO_COLOR;
  const bold = (t: string) => (color ? `\u001b[1m${t}\u001b[0m` : t);
  return {
    color,
    line: (text) => void stream.write(`${text}\n`),
    heading: (text) => void stream.write(`\n${bold(text)}\n${'─'.repeat(Math.min(text.length, 80))}\n`),
    box: (text) => void stream.write(text.split('\n').map((l) => `  │ ${l}`).join('\n') + '\n'),
    error: (text) => void process.stderr.write(`${color ? '\u001b[31m' : ''}${text}${color ? '\u001b[0m' : ''}\n`),
  };
}
