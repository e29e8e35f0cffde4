import type { Command } from '@oclif/core';
import Help from './commands/help.js';
import Install from './commands/install.js';
import ScheduleDelete from './commands/schedule/delete.js';
import ScheduleDescribe from './commands/schedule/describe.js';
import ScheduleGet from './commands/schedule/get.js';
import SchedulePause from './commands/schedule/pause.js';
import ScheduleUnpause from './commands/schedule/unpause.js';
import Uninstall from './commands/uninstall.js';
import Version from './commands/version.js';

/**
 * The whole command tree. oclif gets this map directly instead of finding command files on
 * disk, which a single executable does not have. Ids use ':'; users type spaces.
 */
export const commands: Record<string, Command.Class> = {
  help: Help,
  install: Install,
  'schedule:get': ScheduleGet,
  'schedule:describe': ScheduleDescribe,
  'schedule:pause': SchedulePause,
  'schedule:unpause': ScheduleUnpause,
  'schedule:delete': ScheduleDelete,
  uninstall: Uninstall,
  version: Version,
};
