import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { BackupObjectView } from '../../src/cluster-records/backup-object.js';
import { runProcessGone } from '../../src/cluster-records/backup-object-liveness.js';
import { newBackupRun, recordedRun, runAnnotations, type BackupRun } from '../../src/cluster-records/backup-run.js';
import { localProcessTable, type ProcessState, type ProcessTable } from '../../src/cluster-records/process-table.js';

/** A machine whose processes are the map's: pid to start time. */
function machine(processes: Record<number, string>, overrides: Partial<ProcessTable> = {}): ProcessTable {
  return {
    host: 'builder',
    space: 'boot-1/pid:[1]',
    pid: 100,
    start: '500',
    probe: (pid: number): ProcessState => (processes[pid] !== undefined ? { state: 'running', start: processes[pid] } : { state: 'gone' }),
    ...overrides,
  };
}

function objectOf(annotations: Record<string, string>): BackupObjectView {
  return { name: 'nightly', labels: {}, annotations, ownerReferences: [], spec: {}, status: { phase: 'InProgress' } };
}

const killed: BackupRun = { id: 'run-1', host: 'builder', space: 'boot-1/pid:[1]', pid: 4242, start: '900' };

describe('the run that made a Backup object', () => {
  it('is recorded in annotations and read back; another run is not the one that made it', () => {
    const run = newBackupRun(machine({}));
    const object = objectOf(runAnnotations(run));
    assert.equal(object.annotations['kubectl-backup.io/run-id'], run.id);
    assert.notEqual(newBackupRun(machine({})).id, run.id, 'each run has its own id, in one process too');
    assert.deepEqual(recordedRun(object), { host: 'builder', space: 'boot-1/pid:[1]', pid: 100, start: '500' });
  });

  it('records no pid that is not a positive integer (the annotations are anyone’s to edit)', () => {
    for (const pid of ['0', '-1', '1.5', 'x', '', '99999999999']) {
      assert.equal(recordedRun(objectOf({ 'kubectl-backup.io/run-host': 'builder', 'kubectl-backup.io/run-pid': pid })), undefined, pid);
    }
  });

  it('is gone when its process on this machine has ended, or its pid is now a later process', () => {
    assert.ok(runProcessGone(objectOf(runAnnotations(killed)), machine({})));
    assert.ok(runProcessGone(objectOf(runAnnotations(killed)), machine({ 4242: '1200' })), 'the pid was reused');
  });

  it('runs while its process does; where no start time is known, a live pid counts as the run', () => {
    assert.ok(!runProcessGone(objectOf(runAnnotations(killed)), machine({ 4242: '900' })));
    const { start: _, ...withoutStart } = killed;
    assert.ok(!runProcessGone(objectOf(runAnnotations(withoutStart)), machine({ 4242: '1200' })));
  });

  it('is never looked up in another machine’s or pid namespace’s processes, nor where the pids cannot be placed', () => {
    assert.ok(!runProcessGone(objectOf(runAnnotations(killed)), machine({}, { host: 'laptop' })));
    assert.ok(!runProcessGone(objectOf(runAnnotations(killed)), machine({}, { space: 'boot-1/pid:[2]' })), 'a container on the same machine');
    assert.ok(!runProcessGone(objectOf(runAnnotations(killed)), machine({}, { space: 'boot-2/pid:[1]' })), 'the machine rebooted');
    assert.ok(!runProcessGone(objectOf(runAnnotations(killed)), machine({}, { space: undefined })));
    const { space: _, ...unplaced } = killed;
    assert.ok(!runProcessGone(objectOf(runAnnotations(unplaced)), machine({})));
    assert.ok(!runProcessGone(objectOf({}), machine({})), 'an object without a run (synced from a record)');
  });

  it('is gone when it names this very pid with another start (a pid namespace reused it)', () => {
    assert.ok(runProcessGone(objectOf(runAnnotations({ ...killed, pid: 100 })), machine({})));
    assert.ok(!runProcessGone(objectOf(runAnnotations({ ...killed, pid: 100, start: '500' })), machine({})));
  });

  it('sees this machine’s processes: this one runs, an ended child is gone', async () => {
    const local = localProcessTable();
    assert.equal(local.pid, process.pid);
    assert.equal(local.probe(process.pid).state, 'running');
    if (process.platform === 'linux') {
      assert.match(local.start ?? '', /^\d+$/);
      assert.match(local.space ?? '', /^[0-9a-f-]{36}\/pid:\[\d+\]$/);
    }
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    assert.equal(local.probe(child.pid!).state, 'gone');
  });
});
