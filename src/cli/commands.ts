import type { Command } from '@oclif/core';
import Help from './commands/help.js';
import Install from './commands/install.js';
import Uninstall from './commands/uninstall.js';
import Version from './commands/version.js';

/**
 * The whole command tree. oclif gets this map directly instead of finding command files on
 * disk, which a single executable does not have. Ids use ':'; users type spaces.
 */
export const commands: Record<string, Command.Class> = {
  help: Help,
  install: Install,
  uninstall: Uninstall,
  version: Version,
};
