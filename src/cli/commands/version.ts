import { BaseCommand, outputFlag } from '../base-command.js';
import { serverVersion, type ServerVersion } from '../../kube/cluster.js';
import { errorMessage } from '../../errors.js';
import { productVersion } from '../../version.js';

export default class Version extends BaseCommand {
  static override summary = "Print the client version, and the server's when a cluster is reachable.";
  static override examples = ['kubectl backup version', 'kubectl backup version -o json'];
  static override flags = { output: outputFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    this.useFlags(flags);
    const client = { gitVersion: `v${productVersion}`, platform: `${process.platform}/${process.arch}` };
    let server: ServerVersion | undefined;
    let problem: string | undefined;
    try {
      const { client: kube } = await this.connect();
      server = await serverVersion(kube);
    } catch (err) {
      problem = errorMessage(err);
    }
    const data = { clientVersion: client, ...(server ? { serverVersion: server } : {}) };
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.printData(flags.output, data);
    } else {
      this.print(`Client Version: ${client.gitVersion}\n`);
      if (server) this.print(`Server Version: ${server.gitVersion}\n`);
    }
    if (problem) this.logger.log('warn', 'server version unavailable', { error: problem });
  }
}
