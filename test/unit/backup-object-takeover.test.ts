import assert from 'node:assert/strict';
import type { BackupObjectPhase, BackupObjectView } from '../../src/cluster-records/backup-object.js';
import { staleAfterMs } from '../../src/cluster-records/backup-object-liveness.js';
import { takeoverRefusal } from '../../src/cluster-records/backup-object-takeover.js';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

function existing(phase: BackupObjectPhase, storageLocation: string | undefined, lastUpdateTimestamp?: string, creationTimestamp = ago(60_000), annotations: Record<string, string> = {}): BackupObjectView {
  return {
    name: 'nightly',
    labels: {},
    annotations,
    creationTimestamp,
    ownerReferences: [],
    spec: {},
    ...(storageLocation !== undefined ? { storageLocation } : {}),
    status: { phase, ...(lastUpdateTimestamp ? { lastUpdateTimestamp } : {}) },
  };
}

const refusal = (object: BackupObjectView, location = 'default', runGone = false) => takeoverRefusal(object, location, 'kubectl-backup', now, runGone);

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

  it('replaces a run reporting a moment ago when its process is seen ended, and names the process of one that runs', () => {
    const run = { 'kubectl-backup.io/run-host': 'builder', 'kubectl-backup.io/run-pid': '4242' };
    assert.equal(refusal(existing('InProgress', 'default', ago(10_000), undefined, run), 'default', true), undefined);
    assert.equal(refusal(existing('New', 'other', undefined, ago(1000), run), 'default', true), undefined);
    assert.match(refusal(existing('InProgress', 'default', ago(10_000), undefined, run))!, /already running \(InProgress, last reported at .*, to default, by pid 4242 on builder\)/);
    assert.match(refusal(existing('Completed', 'other', undefined, undefined, run), 'default', true)!, /exists in storage location other/, 'an ended backup is no run');
  });

  it('replaces an ended backup of the same location only', () => {
    assert.equal(refusal(existing('Completed', 'default')), undefined);
    assert.equal(refusal(existing('PartiallyFailed', 'default')), undefined);
    assert.match(refusal(existing('Completed', 'other'))!, /^backup "nightly" exists in storage location other \(its Backup object is Completed\)/);
    assert.match(refusal(existing('PartiallyFailed', undefined))!, /exists in another storage location/);
  });
});
