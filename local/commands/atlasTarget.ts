import { BASE_URL_VARIABLES, type BaseUrlChoice } from '../../functions/core/atlas/baseUrl.js';
import { redact } from '../../functions/core/domain/redact.js';

/**
 * Says which Atlas a local run talks to, in the words shown in every `run` heading and in the
 * confirmation prompt: someone with real keys in their shell who meant the simulator must see
 * "Atlas at https://cloud.mongodb.com" before anything is restored.
 */

/** Loopback hosts: where the simulator listens. Anything else is taken to be a real Atlas. */
function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function atlasKind(baseUrl: string): 'the local simulator' | 'Atlas' {
  return isLoopback(baseUrl) ? 'the local simulator' : 'Atlas';
}

/** e.g. "the local simulator at http://127.0.0.1:8090 (from MONGODB_ATLAS_OPS_MANAGER_URL)". */
export function describeAtlasTarget(choice: BaseUrlChoice): string {
  const why =
    choice.from === 'default'
      ? `the default: neither ${BASE_URL_VARIABLES.join(' nor ')} is set`
      : `from ${choice.from}${choice.ignored.length ? `; ${choice.ignored.join(' and ')} ignored` : ''}`;
  // Through the one redactor: a secret in the URL's userinfo, path or query must not reach a terminal or a CI log.
  return `${atlasKind(choice.baseUrl)} at ${redact(choice.baseUrl)} (${why})`;
}
