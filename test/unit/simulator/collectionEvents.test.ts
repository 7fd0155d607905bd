import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../local/simulator/state/model.js';
import { collectionRestoreEvent } from '../../../local/simulator/state/namespaces.js';

/** Which CPS_COLLECTION_RESTORE_* event a collection job's end raises (for the alert engine). */

const ns = (found: boolean) => ({ sourceNamespace: 'a.b', targetNamespace: 'a.b', effectiveTargetNamespace: 'a.b', documents: 1, found });
const job = (o: Partial<JobState>, namespaces = [ns(true)]): JobState =>
  ({ id: 'j', seq: 1, family: 'collection', kind: 'collection.restore', groupId: 'g', clusterName: 'c', createdAt: 0, durationMs: 10, finishAt: 10, outcome: 'succeed', dataVersion: 'v', settled: false, details: { namespaces }, ...o }) as JobState;

describe('collectionRestoreEvent', () => {
  it.each([
    ['every collection restored', job({}), 'CPS_COLLECTION_RESTORE_SUCCESSFUL'],
    ['some not in the snapshot', job({}, [ns(true), ns(false)]), 'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS'],
    ['none in the snapshot', job({}, [ns(false)]), 'CPS_COLLECTION_RESTORE_FAILED'],
    ['a failed job', job({ outcome: 'fail' }), 'CPS_COLLECTION_RESTORE_FAILED'],
    ['a job Atlas ended', job({ outcome: 'kill' }), 'CPS_COLLECTION_RESTORE_CANCELED'],
    ['a job that never ends', job({ finishAt: undefined, outcome: 'hang' }), undefined],
    ['a cloud job', job({ family: 'cloud' }), undefined],
  ] as const)('%s', (_name, j, event) => {
    expect(collectionRestoreEvent(j)).toBe(event);
  });
});
