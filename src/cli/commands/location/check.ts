import * as Args from '@oclif/core/args';
import { ExitCode } from '../../../errors.js';
import { checkLocation } from '../../../location/check-location.js';
import { LocationClient } from '../../../location/location-client.js';
import { requireLocationName } from '../../../location/location-request.js';
import { resolveLocation, retentionMode } from '../../../location/resolve.js';
import { BaseCommand, outputFlag } from '../../base-command.js';

export default class LocationCheck extends BaseCommand {
  static override summary = 'Prove a storage location works: write, read, list and delete a probe object.';
  static override description =
    'Without NAME, checks the default location (or the embedded default when there is none). With --object-lock on the location, also that the bucket has Object Lock. Exit code 1 when a step fails.';
  static override examples = ['kubectl backup location check primary', 'kubectl backup location check'];
  static override args = { name: Args.string({ description: 'location name (default: the default location)' }) };
  static override flags = { output: outputFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LocationCheck);
    this.useFlags(flags);
    const name = args.name === undefined ? undefined : requireLocationName(args.name);
    const { client } = await this.connect();
    const location = await resolveLocation(name === undefined ? {} : { storageLocation: name }, { client, namespace: this.toolNamespace, logger: this.logger });
    const steps = await checkLocation(location.store, { readOnly: location.accessMode === 'ReadOnly', ...(location.objectLock ? { objectLock: retentionMode(location.objectLock) } : {}) });
    const ok = steps.every((s) => s.ok);
    if (location.name !== undefined) {
      const locations = new LocationClient(client, this.toolNamespace);
      const failed = steps.find((s) => !s.ok);
      // Best effort: the status is a convenience for `location get`, the check's answer is its output.
      await locations
        .patchStatus(location.name, {
          phase: ok ? 'Available' : 'Unavailable',
          lastValidationTime: new Date().toISOString(),
          message: ok ? `write, read, list${location.objectLock ? ', delete and object-lock' : ' and delete'} succeeded` : `${failed?.step} failed: ${failed?.detail ?? ''}`,
        })
        .catch((err: unknown) => this.logger.log('debug', 'could not record the check in the location status', { error: String(err) }));
    }
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.printData(flags.output, { location: location.name ?? location.url, url: location.url, ok, steps });
    } else {
      this.print(`Checking ${location.label}${location.name ? ` (${location.url.split('?')[0]})` : ''}\n`);
      const width = Math.max(...steps.map((s) => s.step.length));
      for (const s of steps) {
        const mark = s.skipped ? (s.ok ? '-' : '✗') : s.ok ? '✓' : '✗';
        this.print(`  ${mark} ${s.step.padEnd(width)} ${s.skipped ? `skipped: ${s.skipped}` : (s.detail ?? '')}\n`);
      }
      this.print(ok ? 'The location works.\n' : 'The location does not work.\n');
    }
    if (!ok) this.setExitCode(ExitCode.Failed);
  }
}
