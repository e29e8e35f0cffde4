import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../../src/errors.js';
import { loadKubeConfig } from '../../src/kube/connection.js';

/** A kubeconfig whose `users` entry is broken just below its credentials. */
function brokenKubeconfig(credentials: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster:',
    '    server: https://127.0.0.1:6443',
    'users:',
    '- name: u',
    '  user:',
    `    ${credentials}`,
    '  bad: [unclosed',
    'contexts:',
    '- name: x',
    '  context: {cluster: c, user: u}',
    'current-context: x',
    '',
  ].join('\n');
}

describe('loadKubeConfig: a kubeconfig it cannot parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-kubeconfig-'));
  const secrets = { token: 'SECRETTOKEN123', 'client-key-data': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUVTRUNSRVQ=' };

  for (const [field, secret] of Object.entries(secrets)) {
    it(`names the reason and the position, never the lines around it (${field})`, () => {
      const file = join(dir, `kc-${field}`);
      writeFileSync(file, brokenKubeconfig(`${field}: ${secret}`));
      for (const options of [{ kubeconfig: file }, { env: { KUBECONFIG: file } }]) {
        const error = catchError(() => loadKubeConfig(options));
        assert.ok(error instanceof BadInputError, String(error));
        assert.match(error.message, /cannot read kubeconfig .*kc-.*: \S.* \(line \d+, column \d+\)$/);
        assert.ok(!error.message.includes(secret), error.message);
        assert.ok(!error.message.includes('\n'), error.message);
      }
    });
  }
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  assert.fail('no error');
}
