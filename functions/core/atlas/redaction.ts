/**
 * Takes credentials out of any text the Atlas client reports (error messages, the fields it copies
 * from Atlas's answers). A server, a proxy or a gateway may echo what it received in any shape, so
 * a plain search for the configured value is not enough. Removed here:
 * - the value in any letter case (a proxy that upper-cases a header, a log that lower-cases it);
 * - the value percent-encoded (fully or partly, `+` for space, even twice);
 * - the value base64- or base64url-encoded, alone or inside a longer encoded text such as the
 *   `id:secret` of a Basic header, whatever its offset in that text;
 * - whole `Authorization` / `WWW-Authenticate` values: a `Digest …` parameter list, a `Bearer` or
 *   `Basic` credential, or anything after a header name such as `authorization:`, since their
 *   parts (a Digest response, a token we never saw) are credentials we cannot list in advance.
 */

const REDACTED = '[redacted]';
/** Values this short would blank out ordinary words; real keys, secrets and tokens are far longer. */
const MIN_SECRET_LENGTH = 4;

export type Redactor = (text: string) => string;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Header values that carry credentials, in every shape a server could echo them. Schemes first,
 * then header names, so `authorization: Digest …` loses its whole parameter list.
 */
const HEADER_PATTERNS: readonly [RegExp, string][] = [
  // A Digest or Bearer parameter list: `Digest username="…", nonce="…", response="…"` (quotes maybe JSON-escaped).
  [/\b(digest|bearer)\s+(?:[\w-]+\s*=\s*(?:\\?"(?:\\.|[^"\\])*\\?"|[^\s,"]*)[\s,]*)+/gi, `$1 ${REDACTED} `],
  // A Bearer credential, or a Basic one that looks encoded (not "basic tier").
  [/\b(bearer)\s+[\w\-.~+/]+=*/gi, `$1 ${REDACTED}`],
  [/\b(basic)\s+(?=[\w+/-]*[\d+/=])[\w+/-]{8,}=*/gi, `$1 ${REDACTED}`],
  // `authorization: …`, `"WWW-Authenticate":"…"`: everything up to the end of the quoted or bare value.
  [/\b((?:proxy-)?authori[sz]ation|(?:www|proxy)-authenticate)(["']?\s*[:=]\s*)(["']?)(?:\\.|[^"'\\\r\n])*/gi, `$1$2$3${REDACTED}`],
];

/** Every reading of a percent-encoded run (`+` as space or not, up to three layers deep). */
function percentDecodings(run: string): string[] {
  const out: string[] = [];
  let current = run;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    let next: string;
    try {
      next = decodeURIComponent(current.replace(/\+/g, ' '));
    } catch {
      // A run that is not valid UTF-8 percent-encoding: decode byte by byte.
      next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
    out.push(next, current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))));
    current = next;
  }
  return out;
}

/**
 * Base64 (or base64url) decodings of a run from each of its first four characters: text glued in
 * front of an encoding shifts it, and one of the four starts is aligned with it again. Decoding
 * finds the secret at any byte offset (the secret of `base64(id:secret)`) and in any case.
 */
function base64Decodings(run: string): string[] {
  const plain = run.replace(/-/g, '+').replace(/_/g, '/');
  const out: string[] = [];
  for (let start = 0; start < 4 && plain.length - start >= 6; start++) out.push(Buffer.from(plain.slice(start), 'base64').toString('latin1'));
  return out;
}

/** A redactor for a set of secret values (values under four characters are ignored). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const values = [...new Set(secrets.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const lowered = values.map((v) => v.toLowerCase());
  const literal = values.length > 0 ? new RegExp(values.map(escapeRegExp).join('|'), 'giu') : undefined;
  const holdsSecret = (decoded: string) => {
    const lower = decoded.toLowerCase();
    return lowered.some((v) => lower.includes(v));
  };

  return (text) => {
    let out = HEADER_PATTERNS.reduce((t, [re, to]) => t.replace(re, to), text);
    if (!literal) return out;
    out = out.replace(literal, REDACTED);
    // Percent-encoded runs: mask the whole run when any reading of it holds a secret.
    out = out.replace(/(?:%[0-9a-f]{2}|[^\s%"'<>,;&=?[\]{}])*%[0-9a-f]{2}(?:%[0-9a-f]{2}|[^\s%"'<>,;&=?[\]{}])*/gi, (run) =>
      percentDecodings(run).some(holdsSecret) ? REDACTED : run,
    );
    // Base64 runs: decoded at each alignment, compared without regard to case.
    out = out.replace(/[A-Za-z0-9+/_-]{6,}={0,2}/g, (run) => (base64Decodings(run).some(holdsSecret) ? REDACTED : run));
    return out;
  };
}

/** Cleans every string (and key) inside a JSON-like value, so structured fields are redacted too. */
export function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)]));
  return value;
}
