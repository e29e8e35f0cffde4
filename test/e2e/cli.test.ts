import assert from 'node:assert/strict';
import { kubectl, kubectlBackup, requireExecutable } from '../helpers/plugin.js';

describe('e2e: the executable as a kubectl plugin', () => {
  before(() => requireExecutable());

  it('is found by kubectl plugin list', async () => {
    const result = await kubectl(['plugin', 'list']);
    assert.match(result.stdout, /kubectl-backup/);
  });

  it('shows the command tree with kubectl backup usage lines', async () => {
    const result = await kubectlBackup(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\$ kubectl backup \[COMMAND\]/);
    assert.match(result.stdout, /version\s+Print the client version/);
    const help = await kubectlBackup(['version', '--help']);
    assert.match(help.stdout, /\$ kubectl backup version/);
    assert.match(help.stdout, /--kubeconfig/);
  });

  it('lines up every flag of a help section, the first one included when it has no short form', async () => {
    const help = await kubectlBackup(['create', '--help']);
    assert.equal(help.code, 0, help.stderr);
    const section = (header: string) => help.stdout.split(`${header}\n`)[1]!.split('\n\n')[0]!.split('\n');
    for (const header of ['FLAGS', 'GLOBAL FLAGS']) {
      const labels = section(header).filter((line) => /^ {2}(-\w, | {4})--/.test(line));
      assert.ok(labels.length >= 3, `${header} has flags`);
      assert.match(section(header)[0]!, /^ {6}--/, `${header}: the first flag, without a short form, is indented like "  -o, --"`);
      assert.equal(new Set(labels.map((line) => line.indexOf('--'))).size, 1, `${header}: every label's -- in one column`);
    }
  });

  it('starts every label at the same column where descriptions go below their labels', async () => {
    const help = await kubectlBackup(['restore', 'create', '--help']);
    assert.equal(help.code, 0, help.stderr);
    const flags = help.stdout.split('FLAGS\n')[1]!.split(/\n[A-Z ]+\n/)[0]!;
    const labels = flags.split('\n').filter((line) => /^ *(-\w, )?--[a-z-]+/.test(line));
    assert.ok(labels.some((line) => line.includes('--from-backup')) && labels.length >= 5, flags);
    assert.equal(new Set(labels.map((line) => /^ */.exec(line)![0].length)).size, 1, `every label at one indentation:\n${labels.join('\n')}`);
  });

  it('rejects an unknown flag with one clear line and exit code 2', async () => {
    const result = await kubectlBackup(['version', '--bogus']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr.split('\n')[0]!, /^Error: Nonexistent flag: --bogus$/);
    assert.equal(result.stderr.split('\n')[1], 'See: kubectl backup version --help', "the command's own help");
    assert.doesNotMatch(result.stderr, /at .+\(.+:\d+:\d+\)/, 'no stack trace');
  });

  it('rejects a bad flag value with exit code 2', async () => {
    const result = await kubectlBackup(['version', '-o', 'xml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Expected --output=xml to be one of: table, json, yaml/);
    const nested = await kubectlBackup(['restore', 'create', '--from-backup', 'b', '--existing-resource-policy', 'maybe']);
    assert.equal(nested.code, 2);
    assert.match(nested.stderr, /^See: kubectl backup restore create --help$/m);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await kubectlBackup(['frobnicate']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /frobnicate/);
  });

  it('names an unknown subcommand as users type it, and points at its topic\'s help', async () => {
    const result = await kubectlBackup(['schedule', 'lst']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'Error: unknown command "schedule lst"\nSee: kubectl backup schedule --help\n');
  });

  it('names a missing kubeconfig file', async () => {
    const result = await kubectlBackup(['version', '--kubeconfig', '/nonexistent/kubeconfig', '-o', 'json']);
    assert.equal(result.code, 0, 'version still prints the client version');
    assert.ok(JSON.parse(result.stdout).clientVersion.gitVersion);
    assert.match(result.stderr, /--kubeconfig \/nonexistent\/kubeconfig: no such file/);
  });
});
