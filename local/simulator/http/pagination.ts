import { errors } from '../errors.js';

/**
 * Atlas paging: `pageNum` (default 1, ≥ 1), `itemsPerPage` (default 100, 1-500), `includeCount`
 * (default true; false leaves `totalCount` out). Lists answer `{links, results, totalCount}`.
 */
export interface PageParams {
  pageNum: number;
  itemsPerPage: number;
  includeCount: boolean;
}

interface Link {
  href: string;
  rel: string;
}

export interface Page<T> {
  links: Link[];
  results: T[];
  totalCount?: number;
}

export function parseBoolean(name: string, value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw errors.invalidQuery(name, 'must be true or false');
}

function parseInteger(name: string, value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  if (!/^-?\d+$/.test(value)) throw errors.invalidQuery(name, 'must be a whole number');
  const n = Number(value);
  if (n < min || n > max) throw errors.invalidQuery(name, `must be between ${min} and ${max}`);
  return n;
}

export function parsePaging(query: URLSearchParams): PageParams {
  return {
    pageNum: parseInteger('pageNum', query.get('pageNum'), 1, 1, 1_000_000),
    itemsPerPage: parseInteger('itemsPerPage', query.get('itemsPerPage'), 100, 1, 500),
    includeCount: parseBoolean('includeCount', query.get('includeCount'), true),
  };
}

function linkTo(self: URL, pageNum: number, itemsPerPage: number): string {
  const url = new URL(self);
  url.searchParams.set('pageNum', String(pageNum));
  url.searchParams.set('itemsPerPage', String(itemsPerPage));
  return url.toString();
}

export function paginate<T>(items: T[], params: PageParams, self: URL): Page<T> {
  const start = (params.pageNum - 1) * params.itemsPerPage;
  const results = items.slice(start, start + params.itemsPerPage);
  const links: Link[] = [{ href: self.toString(), rel: 'self' }];
  if (params.pageNum > 1) links.push({ href: linkTo(self, params.pageNum - 1, params.itemsPerPage), rel: 'previous' });
  if (start + params.itemsPerPage < items.length) links.push({ href: linkTo(self, params.pageNum + 1, params.itemsPerPage), rel: 'next' });
  return { links, results, ...(params.includeCount && { totalCount: items.length }) };
}

/** Lists the spec gives no paging parameters (tenant lists, sharded snapshot list): everything at once. */
export function everything<T>(items: T[], self: URL): Page<T> {
  return { links: [{ href: self.toString(), rel: 'self' }], results: items, totalCount: items.length };
}
