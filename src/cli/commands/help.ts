import * as Args from '@oclif/core/args';
import { Command } from '@oclif/core/command';
import { Help as OclifHelp } from '@oclif/core/help';

/** `kubectl backup help [COMMAND...]`, the same text as `--help`. */
export default class Help extends Command {
  static override summary = 'Show help for a command.';
  static override strict = false;
  static override args = { command: Args.string({ description: 'the command, e.g. "restore create"', required: false }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    await new OclifHelp(this.config, { flagSortOrder: 'none' }).showHelp(argv.map(String));
  }
}
