import type { Command } from '@oclif/core/command';

/**
 * The whole command tree, each command loaded when it runs: a run evaluates its own command's
 * code and libraries, not the other commands' (the bundle lazily initialises what a dynamic
 * import reaches). Help and command lookup read oclif's manifest instead (command-manifest.ts).
 * Ids use ':'; users type spaces.
 */
export const commandLoaders: Record<string, () => Promise<Command.Class>> = {
  create: async () => (await import('./commands/create.js')).default,
  get: async () => (await import('./commands/get.js')).default,
  describe: async () => (await import('./commands/describe.js')).default,
  logs: async () => (await import('./commands/logs.js')).default,
  download: async () => (await import('./commands/download.js')).default,
  verify: async () => (await import('./commands/verify.js')).default,
  delete: async () => (await import('./commands/delete.js')).default,
  gc: async () => (await import('./commands/gc.js')).default,
  help: async () => (await import('./commands/help.js')).default,
  install: async () => (await import('./commands/install.js')).default,
  'location:create': async () => (await import('./commands/location/create.js')).default,
  'location:get': async () => (await import('./commands/location/get.js')).default,
  'location:set': async () => (await import('./commands/location/set.js')).default,
  'location:delete': async () => (await import('./commands/location/delete.js')).default,
  'location:check': async () => (await import('./commands/location/check.js')).default,
  'restore:create': async () => (await import('./commands/restore/create.js')).default,
  'restore:get': async () => (await import('./commands/restore/get.js')).default,
  'restore:describe': async () => (await import('./commands/restore/describe.js')).default,
  'restore:logs': async () => (await import('./commands/restore/logs.js')).default,
  'restore:delete': async () => (await import('./commands/restore/delete.js')).default,
  'schedule:create': async () => (await import('./commands/schedule/create.js')).default,
  'schedule:get': async () => (await import('./commands/schedule/get.js')).default,
  'schedule:describe': async () => (await import('./commands/schedule/describe.js')).default,
  'schedule:pause': async () => (await import('./commands/schedule/pause.js')).default,
  'schedule:unpause': async () => (await import('./commands/schedule/unpause.js')).default,
  'schedule:delete': async () => (await import('./commands/schedule/delete.js')).default,
  sync: async () => (await import('./commands/sync.js')).default,
  uninstall: async () => (await import('./commands/uninstall.js')).default,
  version: async () => (await import('./commands/version.js')).default,
};

/** Every command class, loaded now. */
export async function loadAllCommands(): Promise<Record<string, Command.Class>> {
  const loaded = await Promise.all(Object.entries(commandLoaders).map(async ([id, load]) => [id, await load()] as const));
  return Object.fromEntries(loaded);
}
