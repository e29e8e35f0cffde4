import assert from 'node:assert/strict';
import type { BackupObjectPhase, BackupObjectView } from '../../src/cluster-records/backup-object.js';
import { staleAfterMs } from '../../src/cluster-records/backup-object-liveness.js';
import { takeoverRefusal } from '../../src/cluster-records/backup-object-takeover.js';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

function existing(phase: BackupObjectPhase, storageLocation: string | undefined, lastUpdateTimestamp?: string, creationTimestamp = ago(60_000)): BackupObjectView {
  return {
    name: 'nightly',
    labels: {},
    annotations: {},
    creationTimestamp,
    ownerReferences: [],
    spec: {},
    ...(storageLocation !== undefined ? { storageLocation } : {}),
    status: { phase, ...(lastUpdateTimestamp ? { lastUpdateTimestamp } : {}) },
  };
}

const refusal = (object: BackupObjectView, location = 'default') => takeoverRefusal(object, location, 'kubectl-backup', now);

describe('taking over the Backup object under a backup name', () => {
  it('refuses a run still reporting, in any location, and says how a killed run frees the name', () => {
    assert.match(refusal(existing('InProgress', 'default', ago(10_000)))!, /^backup "nightly" is already running \(InProgress, last reported at .*, to default\); .*kubectl delete backup nightly -n kubectl-backup/);
    assert.match(refusal(existing('New', 'other'))!, /already running \(New/, 'a fresh object without a status counts from its creation');
    assert.match(refusal(existing('InProgress', 'default', ago(staleAfterMs - 1000)))!, /already running/);
  });

  it('replaces what a dead run left: silent past the staleness limit, or Failed, in any location', () => {
    assert.equal(refusal(existing('InProgress', 'default', ago(staleAfterMs + 1000))), undefined);
    assert.equal(refusal(existing('New', 'other', undefined, ago(staleAfterMs + 1000))), undefined);
    assert.equal(refusal(existing('Failed', 'other')), undefined);
  });

  it('replaces an ended backup of the same location only', () => {
    assert.equal(refusal(existing('Completed', 'default')), undefined);
    assert.equal(refusal(existing('PartiallyFailed', 'default')), undefined);
    assert.match(refusal(existing('Completed', 'other'))!, /^backup "nightly" exists in storage location other \(its Backup object is Completed\)/);
    assert.match(refusal(existing('PartiallyFailed', undefined))!, /exists in another storage location/);
  });
});
