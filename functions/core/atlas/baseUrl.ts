import { AtlasCredentialsInvalidError } from '../domain/errors.js';

/**
 * Where the Atlas Admin API is: what a usable base URL looks like, and which environment variable
 * names it for a local run. A wrong answer here is the worst kind of mistake (restoring against
 * production Atlas when the simulator was meant), so every rule is explicit and nothing is guessed.
 */

export const DEFAULT_BASE_URL = 'https://cloud.mongodb.com';
export const GOV_BASE_URL = 'https://cloud.mongodbgov.com';

/**
 * The variables that name the base URL, first one set wins:
 * - MONGODB_ATLAS_OPS_MANAGER_URL: the Atlas CLI's own (its `ops_manager_url` setting; its
 *   end-to-end tests point it at a local server). It wins because it is what someone aiming the
 *   Atlas CLI at the simulator already has exported, and the Atlas CLI ignores the other one.
 * - MONGODB_ATLAS_BASE_URL: the Terraform provider's name.
 * Then MONGODB_ATLAS_SERVICE=cloudgov (the Atlas CLI's switch to Atlas for Government), then Atlas.
 */
export const BASE_URL_VARIABLES = ['MONGODB_ATLAS_OPS_MANAGER_URL', 'MONGODB_ATLAS_BASE_URL'] as const;
const SERVICE_VARIABLE = 'MONGODB_ATLAS_SERVICE';

export type BaseUrlCheck = { url: string } | { problem: string };

/**
 * A base URL the client can prefix paths with: http(s), no credentials, no query, no trailing
 * slash, and without a trailing `/api/atlas/v2` (some users paste the API root; our paths add it).
 * The problem, if any, never quotes the value: a pasted URL may carry a key.
 */
export function checkBaseUrl(raw: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must be an http(s) URL' };
  if (url.username || url.password) return { problem: 'must not carry a user name or password' };
  if (url.search || url.hash) return { problem: 'must not carry a query or fragment' };
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/atlas\/v2$/, '');
  return { url: `${url.origin}${path}` };
}

/** The base URL a local run uses, which variable chose it, and set variables it did not follow. */
export interface BaseUrlChoice {
  baseUrl: string;
  /** The variable that decided, or 'default' when none is set. */
  from: (typeof BASE_URL_VARIABLES)[number] | typeof SERVICE_VARIABLE | 'default';
  /** Variables set to something else that lost to `from` (shown so a conflict is never silent). */
  ignored: string[];
}

const EXAMPLE = 'such as https://cloud.mongodb.com or http://127.0.0.1:8090/';

function refuse(message: string): never {
  throw new AtlasCredentialsInvalidError(message);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Resolves the base URL from the environment as described on BASE_URL_VARIABLES. Blank counts as
 * unset (as the Atlas CLI treats it). Every URL variable that is set must be well formed, even one
 * that loses: a typo there is still a mistake the person wants to hear about.
 */
export function baseUrlFromEnv(env: Record<string, string | undefined> = process.env): BaseUrlChoice {
  const urls: { name: (typeof BASE_URL_VARIABLES)[number]; url: string }[] = [];
  for (const name of BASE_URL_VARIABLES) {
    const raw = blankToUndefined(env[name]);
    if (raw === undefined) continue;
    const checked = checkBaseUrl(raw);
    if ('problem' in checked) refuse(`${name} ${checked.problem} (expected a base URL ${EXAMPLE})`);
    urls.push({ name, url: checked.url });
  }

  const service = blankToUndefined(env[SERVICE_VARIABLE])?.trim().toLowerCase();
  if (service !== undefined && service !== 'cloud' && service !== 'cloudgov')
    refuse(`${SERVICE_VARIABLE} must be cloud or cloudgov (Atlas for Government)`);
  const serviceUrl = service === 'cloudgov' ? GOV_BASE_URL : undefined;

  const [first, ...rest] = urls;
  if (first) {
    const ignored = rest.filter((u) => u.url !== first.url).map((u) => u.name as string);
    if (serviceUrl !== undefined && serviceUrl !== first.url) ignored.push(SERVICE_VARIABLE);
    return { baseUrl: first.url, from: first.name, ignored };
  }
  if (serviceUrl !== undefined) return { baseUrl: serviceUrl, from: SERVICE_VARIABLE, ignored: [] };
  return { baseUrl: DEFAULT_BASE_URL, from: 'default', ignored: [] };
}
