import type { Command } from '@oclif/core/command';
import { Config, Plugin } from '@oclif/core/config';
import type { Manifest, PJSON } from '@oclif/core/interfaces';
import pjson from '../../package.json' with { type: 'json' };
import { commandLoaders, loadAllCommands } from './commands.js';

/** oclif's settings for this tool, kept with the code rather than in package.json. */
const oclifSettings = {
  bin: 'kubectl backup',
  dirname: 'kubectl-backup',
  topicSeparator: ' ',
  commands: { strategy: 'explicit', target: './commands', identifier: 'commands' },
  topics: {
    restore: { description: 'Restore backups into the cluster.' },
    schedule: { description: 'Take backups on a cron schedule, as CronJobs.' },
    location: { description: 'Named storage locations for backups.' },
  },
  helpOptions: { flagSortOrder: 'none' },
};

const settings = { ...pjson, oclif: oclifSettings } as unknown as PJSON;

/**
 * oclif's configuration, built without touching the file system for commands, so the same code
 * runs from source and inside the single executable.
 *
 * With `manifest` (the build passes the one commandManifest() made), help and command lookup
 * read it and a run loads its own command alone. Without it, every command class is loaded and
 * oclif reads their static properties, as a run from source does.
 *
 * This leans on oclif internals (the root plugin's command cache and manifest loader), so its
 * version is pinned; `findCommand` is part of oclif's plugin interface.
 */
export async function loadConfig(root: string, manifest?: Manifest): Promise<Config> {
  const plugin = new Plugin({ root, pjson: settings, isRoot: true, ignoreManifest: true });
  if (manifest) {
    const internals = plugin as unknown as { commandIDs: string[]; _manifest: () => Promise<Manifest> };
    // load() sorts the manifest's commands with localeCompare, whose first call builds an ICU
    // collator: 7 ms of every start. It gets none to sort, and they are put in after, in
    // code-unit order (the same for these ASCII ids; help sorts them again anyway).
    internals._manifest = async () => {
      internals.commandIDs = Object.keys(manifest.commands);
      return { ...manifest, commands: {} };
    };
    plugin.findCommand = (async (id: string, opts: { must?: boolean } = {}) => {
      const load = commandLoaders[id];
      if (!load) {
        if (opts.must) throw new Error(`command ${id} not found`);
        return undefined;
      }
      const command = await load();
      command.id = id;
      command.plugin = plugin;
      return command;
    }) as Plugin['findCommand'];
  } else {
    (plugin as unknown as { commandCache: Record<string, Command.Class> }).commandCache = await loadAllCommands();
  }
  await plugin.load();
  if (manifest) {
    plugin.manifest = manifest;
    plugin.commands = Object.entries(manifest.commands)
      .map(([id, command]) => ({ ...command, load: async () => plugin.findCommand(id, { must: true }), pluginAlias: plugin.alias, pluginType: plugin.type }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return Config.load({ root, pjson: settings, plugins: new Map([[plugin.name, plugin]]) });
}

/** What oclif knows of every command (ids, summaries, flags, args): made once, by the build. */
export async function commandManifest(root: string): Promise<Manifest> {
  const config = await loadConfig(root);
  const plugin = config.plugins.get(config.pjson.name) as unknown as { manifest: Manifest };
  // Through JSON: what the build embeds is what a run reads.
  return JSON.parse(JSON.stringify(plugin.manifest)) as Manifest;
}
