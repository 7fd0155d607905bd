/**
 * Entries for an Atlas API access list: IPv4 addresses ("203.0.113.10") or IPv4 CIDR blocks
 * ("203.0.113.0/28"), checked at synth so a typo stops `cdk synth` rather than the first restore.
 */

export interface AccessListEntry {
  /** As the user wrote it, trimmed (a CIDR block keeps its prefix). */
  value: string;
  kind: 'ip' | 'cidr';
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/**
 * Ranges Atlas never sees a call come from: one of these means the NAT gateway's private address
 * (or the subnet's range) was copied instead of its Elastic IP.
 */
const PRIVATE_RANGES: [network: number, prefix: number, name: string][] = [
  [ipv4(10, 0, 0, 0), 8, '10.0.0.0/8'],
  [ipv4(172, 16, 0, 0), 12, '172.16.0.0/12'],
  [ipv4(192, 168, 0, 0), 16, '192.168.0.0/16'],
  [ipv4(100, 64, 0, 0), 10, '100.64.0.0/10'],
  [ipv4(127, 0, 0, 0), 8, '127.0.0.0/8'],
];

/** The entry, or a sentence saying what is wrong with it (the caller names the setting). */
export function parseAccessListEntry(text: string): AccessListEntry | { problem: string } {
  const match = DOTTED.exec(text);
  if (!match) return { problem: `must be IPv4 addresses or CIDR blocks such as 203.0.113.10 or 203.0.113.0/28; got ${JSON.stringify(text)}` };
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o, i) => o > 255 || (match[i + 1]!.length > 1 && match[i + 1]!.startsWith('0')))) {
    return { problem: `has an octet outside 0-255 (or with a leading zero): ${JSON.stringify(text)}` };
  }
  const address = ipv4(...(octets as [number, number, number, number]));
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (prefix < 8 || prefix > 32) return { problem: `has a prefix outside /8-/32 (a wider block would open the API to much of the internet): ${JSON.stringify(text)}` };
  const network = prefix === 32 ? address : (address & mask(prefix)) >>> 0;
  if (network !== address) return { problem: `has host bits set: ${JSON.stringify(text)} (did you mean ${dotted(network)}/${prefix}?)` };
  const privateRange = PRIVATE_RANGES.find(([net, len]) => (address & mask(len)) >>> 0 === net);
  if (privateRange) {
    return { problem: `is a private address (${privateRange[2]}): Atlas sees your NAT gateway's public address (its Elastic IP); got ${JSON.stringify(text)}` };
  }
  return { value: text, kind: match[5] === undefined ? 'ip' : 'cidr' };
}

/**
 * The Atlas CLI command that adds `entries` to an API key's access list. The CLI refuses --ip and
 * --cidr in one command, so a mixed list becomes two commands.
 */
export function apiKeyAccessListCommand(entries: readonly AccessListEntry[]): string {
  const flag = (kind: AccessListEntry['kind']) => {
    const values = entries.filter((e) => e.kind === kind).map((e) => e.value);
    return values.length ? [`${API_KEY_ACCESS_LIST_CREATE}--${kind} ${values.join(',')}`] : [];
  };
  return [...flag('ip'), ...flag('cidr')].join(' && ');
}

/** Everything before the addresses: the placeholders are the user's ids, which the stack cannot know. */
export const API_KEY_ACCESS_LIST_CREATE = 'atlas organizations apiKeys accessLists create --orgId <ORG_ID> --apiKey <API_KEY_ID> ';

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}
