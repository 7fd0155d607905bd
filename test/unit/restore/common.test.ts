import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AtlasUnavailableError } from '../../../functions/core/domain/errors.js';
import { countStatuses, newestFirst, readAnswer, sameTarget, timeOf } from '../../../functions/core/restore/kinds/common.js';
import { IDS, STAGING } from './fakeAtlas.js';

describe('countStatuses', () => {
  it('one job keeps its word; a batch is counted, named statuses first in the given order', () => {
    expect(countStatuses(['FINISHED'])).toBe('FINISHED');
    expect(countStatuses(['FINISHED', 'IN_PROGRESS', 'IN_PROGRESS'], ['IN_PROGRESS', 'FINISHED'])).toBe('IN_PROGRESS ×2, FINISHED ×1');
    expect(countStatuses(['BROKEN', 'BROKEN'])).toBe('BROKEN ×2');
  });

  it('the text does not depend on the order Atlas lists the jobs in (unnamed statuses alphabetically)', () => {
    expect(countStatuses(['KILLED', 'BROKEN', 'KILLED'])).toBe('BROKEN ×1, KILLED ×2');
    expect(countStatuses(['B', 'A', 'X'], ['X'])).toBe(countStatuses(['A', 'X', 'B'], ['X']));
    expect(countStatuses(['B', 'A', 'X'], ['X'])).toBe('X ×1, A ×1, B ×1');
  });
});

describe('readAnswer', () => {
  const Job = z.looseObject({ id: z.string(), statusName: z.string() });

  it('returns the parsed answer and keeps unknown fields', () => {
    expect(readAnswer(Job, { id: IDS.job1, statusName: 'FINISHED', brandNew: 1 }, 'get job')).toEqual({ id: IDS.job1, statusName: 'FINISHED', brandNew: 1 });
  });

  it('a wrong shape is AtlasUnavailableError naming the operation and fields, never the body', () => {
    const err = (() => {
      try {
        readAnswer(Job, { statusName: 7, url: 'https://token.example.net/secret-link' }, 'get legacy restore job');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AtlasUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain('get legacy restore job');
    expect(message).toContain('id');
    expect(message).toContain('statusName');
    expect(message).not.toContain('secret-link');
    expect((err as AtlasUnavailableError).operation).toBe('get legacy restore job');
  });

  it('a body that is not an object names the root', () => {
    expect(() => readAnswer(Job, 'oops', 'list jobs')).toThrow(/\(root\)/);
  });
});

describe('sameTarget', () => {
  it('both absent is the same (downloads); one absent is not', () => {
    expect(sameTarget(undefined, undefined)).toBe(true);
    expect(sameTarget(STAGING, undefined)).toBe(false);
    expect(sameTarget(undefined, STAGING)).toBe(false);
  });
  it('cluster names compare case-insensitively, project ids exactly', () => {
    expect(sameTarget(STAGING, { groupId: IDS.stagingGroup, clusterName: 'Staging-Cluster' })).toBe(true);
    expect(sameTarget(STAGING, { groupId: IDS.prodGroup, clusterName: 'staging-cluster' })).toBe(false);
  });
});

describe('newestFirst and timeOf', () => {
  it('sorts by time, newest first; items without a time go last in their original order', () => {
    const items = [
      { n: 'a', at: undefined },
      { n: 'b', at: '2026-01-01T00:00:00Z' },
      { n: 'c', at: 'not a date' },
      { n: 'd', at: '2026-01-03T00:00:00Z' },
    ];
    expect(newestFirst(items, (i) => i.at).map((i) => i.n)).toEqual(['d', 'b', 'a', 'c']);
    expect(timeOf(undefined)).toBe(Number.NEGATIVE_INFINITY);
  });
});
