import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts the HTTP requests the Atlas client sends on behalf of one piece of work (a workflow step of
 * one restore): every attempt, Digest 401 challenge, retry and OAuth token request. The count
 * follows the work's async context rather than the client, because one client (and its token
 * cache) serves every restore of a process, and the local runner runs several restores at once.
 */

const tallies = new AsyncLocalStorage<{ calls: number }>();

/** Runs `work` and says how many Atlas requests went out for it (not those of work running beside it). */
export async function countAtlasCalls<T>(work: () => Promise<T>): Promise<{ value: T; calls: number }> {
  const tally = { calls: 0 };
  const value = await tallies.run(tally, work);
  return { value, calls: tally.calls };
}

/** One request went out (or may have: a connection that failed before sending is not a call). */
export function noteAtlasCall(): void {
  const tally = tallies.getStore();
  if (tally) tally.calls += 1;
}
