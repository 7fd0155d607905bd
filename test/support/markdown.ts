import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Just enough Markdown reading for tests that hold the docs to the code: sections by heading,
 * pipe tables, fenced code blocks and `code` spans. Not a Markdown parser: the docs are ours and
 * keep to these shapes.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function readDoc(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

/** Lines outside fenced code blocks keep their text; lines inside become empty (a `# comment` is no heading). */
function outsideFences(text: string): string[] {
  let inFence = false;
  return text.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      return '';
    }
    return inFence ? '' : line;
  });
}

/** The text under the heading whose title starts with `title`, up to the next heading of the same or a higher level. */
export function section(text: string, title: string): string {
  const lines = text.split('\n');
  const visible = outsideFences(text);
  const start = visible.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '').startsWith(title));
  if (start < 0) throw new Error(`no heading "${title}"`);
  const level = visible[start]!.match(/^#+/)![0].length;
  const end = visible.findIndex((line, i) => i > start && /^#{1,6} /.test(line) && line.match(/^#+/)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

export interface Table {
  header: string[];
  rows: string[][];
}

/** Splits a table line on unescaped pipes; `\|` stays in the cell as `|`. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Every pipe table in the text, in order. */
export function tables(text: string): Table[] {
  const lines = outsideFences(text);
  const found: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.trim().startsWith('|') || !/^\s*\|[\s|:-]+\|\s*$/.test(lines[i + 1]!)) continue;
    const table: Table = { header: cells(lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim().startsWith('|'); j++) table.rows.push(cells(lines[j]!));
    found.push(table);
    i = j - 1;
  }
  return found;
}

/** The one table in a section (an error when there is none or more than one). */
export function onlyTable(text: string): Table {
  const found = tables(text);
  if (found.length !== 1) throw new Error(`expected one table, found ${found.length}`);
  return found[0]!;
}

/** The `code` spans of a piece of Markdown, without their backticks. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

export interface CodeBlock {
  lang: string;
  body: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

/** Fenced code blocks (``` with an optional language). */
export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]!.match(/^\s*```(\S*)/);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, body: body.join('\n'), line: start + 1 });
  }
  return blocks;
}
