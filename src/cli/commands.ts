import type { Command } from '@oclif/core';
import Create from './commands/create.js';
import Delete from './commands/delete.js';
import Describe from './commands/describe.js';
import Download from './commands/download.js';
import Gc from './commands/gc.js';
import Get from './commands/get.js';
import Help from './commands/help.js';
import Install from './commands/install.js';
import LocationCheck from './commands/location/check.js';
import LocationCreate from './commands/location/create.js';
import LocationDelete from './commands/location/delete.js';
import LocationGet from './commands/location/get.js';
import LocationSet from './commands/location/set.js';
import Logs from './commands/logs.js';
import RestoreCreate from './commands/restore/create.js';
import RestoreDelete from './commands/restore/delete.js';
import RestoreDescribe from './commands/restore/describe.js';
import RestoreGet from './commands/restore/get.js';
import RestoreLogs from './commands/restore/logs.js';
import ScheduleCreate from './commands/schedule/create.js';
import ScheduleDelete from './commands/schedule/delete.js';
import ScheduleDescribe from './commands/schedule/describe.js';
import ScheduleGet from './commands/schedule/get.js';
import SchedulePause from './commands/schedule/pause.js';
import ScheduleUnpause from './commands/schedule/unpause.js';
import Sync from './commands/sync.js';
import Uninstall from './commands/uninstall.js';
import Verify from './commands/verify.js';
import Version from './commands/version.js';

/**
 * The whole command tree. oclif gets this map directly instead of finding command files on
 * disk, which a single executable does not have. Ids use ':'; users type spaces.
 */
export const commands: Record<string, Command.Class> = {
  create: Create,
  get: Get,
  describe: Describe,
  logs: Logs,
  download: Download,
  verify: Verify,
  delete: Delete,
  gc: Gc,
  help: Help,
  install: Install,
  'location:create': LocationCreate,
  'location:get': LocationGet,
  'location:set': LocationSet,
  'location:delete': LocationDelete,
  'location:check': LocationCheck,
  'restore:create': RestoreCreate,
  'restore:get': RestoreGet,
  'restore:describe': RestoreDescribe,
  'restore:logs': RestoreLogs,
  'restore:delete': RestoreDelete,
  'schedule:create': ScheduleCreate,
  'schedule:get': ScheduleGet,
  'schedule:describe': ScheduleDescribe,
  'schedule:pause': SchedulePause,
  'schedule:unpause': ScheduleUnpause,
  'schedule:delete': ScheduleDelete,
  sync: Sync,
  uninstall: Uninstall,
  version: Version,
};
