import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runnerUid } from '../../src/schedule/cronjob-manifest.js';

/** No container engine runs in tests: the Containerfile's promises are checked line by line. */
describe('Containerfile', () => {
  const text = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'Containerfile'), 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const of = (name: string) => instructions.filter((l) => l.split(/\s+/)[0] === name);

  it('is one stage on a minimal glibc base', () => {
    assert.deepEqual(of('FROM'), ['FROM gcr.io/distroless/cc-debian12:nonroot']);
  });

  it('copies the single executable, read-only for the runner', () => {
    assert.deepEqual(of('COPY'), ['COPY --chown=0:0 --chmod=0755 dist/kubectl-backup /usr/local/bin/kubectl-backup']);
  });

  it('runs as the non-root user the CronJob pod runs as', () => {
    assert.deepEqual(of('USER'), [`USER ${runnerUid}:${runnerUid}`]);
  });

  it('has the executable as entrypoint, in exec form, with no shell', () => {
    assert.deepEqual(of('ENTRYPOINT'), ['ENTRYPOINT ["/usr/local/bin/kubectl-backup"]']);
    assert.deepEqual(of('RUN'), [], 'distroless has no shell to RUN anything with');
    assert.deepEqual(of('CMD'), []);
  });
});
