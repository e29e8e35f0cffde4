import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLoaders } from '../../src/cli/commands.js';
import { commandManifest, loadConfig } from '../../src/cli/oclif-config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the command manifest the single executable runs with', () => {
  it('describes every command, with its summary and flags, as oclif reads them from the classes', async () => {
    const manifest = await commandManifest(root);
    assert.deepEqual(Object.keys(manifest.commands).sort(), Object.keys(commandLoaders).sort());
    const create = manifest.commands.create!;
    assert.equal(create.summary, 'Back up the resources of the cluster.');
    assert.ok(create.flags['include-namespaces'] && create.flags['client-page-size'] && create.flags.kubeconfig, 'own flags and the common ones');
  });

  it('gives oclif the same commands, topics and help data whether read from the manifest or from the classes', async () => {
    const manifest = await commandManifest(root);
    const fromManifest = await loadConfig(root, manifest);
    const fromClasses = await loadConfig(root);
    const view = (config: typeof fromManifest) => ({
      commands: config.commands.map((c) => ({ id: c.id, summary: c.summary, flags: Object.keys(c.flags), args: Object.keys(c.args) })).sort((a, b) => a.id.localeCompare(b.id)),
      topics: config.topics.map((t) => t.name).sort(),
    });
    assert.deepEqual(view(fromManifest), view(fromClasses));
  });

  it('loads each command class on demand through the manifest path, with its id', async () => {
    const config = await loadConfig(root, await commandManifest(root));
    for (const id of ['create', 'restore:create', 'schedule:get', 'location:check']) {
      const command = await config.findCommand(id, { must: true }).load();
      assert.equal(command.id, id);
      assert.equal(typeof command.prototype.run, 'function');
    }
    assert.equal(config.findCommand('nope'), undefined);
  });
});
