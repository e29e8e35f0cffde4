import * as Flags from '@oclif/core/flags';
import { BaseCommand, outputFlag } from '../../base-command.js';
import { formatAge, renderTable } from '../../output.js';
import { isoInZone, scheduleNamesArg, scheduleSelectionFlags, scheduleSelectionOf } from '../../schedule-flags.js';
import type { RecentBackup } from '../../../schedule/recent-backups.js';
import { ScheduleClient } from '../../../schedule/schedule-client.js';
import type { ScheduleView } from '../../../schedule/schedule-view.js';
import { selectSchedules } from '../../../schedule/select-schedules.js';
import type { BackupTemplate } from '../../../schedule/backup-template.js';
import { describeSchedules } from '../../../schedule/describe-schedules.js';

export default class ScheduleDescribe extends BaseCommand {
  static override summary = 'Show schedules in detail: next runs, the backup template and the recent backups with their phases.';
  static override strict = false;
  static override args = scheduleNamesArg;
  static override examples = ['kubectl backup schedule describe nightly', 'kubectl backup schedule describe --all -o yaml'];
  static override flags = {
    ...scheduleSelectionFlags,
    backups: Flags.integer({ description: 'how many recent backups to list', default: 10, min: 0 }),
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ScheduleDescribe);
    this.useFlags(flags);
    const selection = scheduleSelectionOf(flags, argv, 'schedule describe');
    const { client } = await this.connect();
    const schedules = new ScheduleClient(client, this.toolNamespace);
    const selected = await selectSchedules(schedules, selection, 'schedule describe');
    const now = new Date();
    const described = await describeSchedules(selected, { client, namespace: this.toolNamespace, logger: this.logger, backups: flags.backups, now });
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.printData(flags.output, described.length === 1 && argv.length === 1 ? described[0] : described);
      return;
    }
    this.print(described.map((d) => describeText(d, d.recentBackups, this.toolNamespace, now)).join('\n'));
  }
}

function describeText(view: ScheduleView, backups: RecentBackup[], namespace: string, now: Date): string {
  const lines: string[] = [];
  const field = (label: string, value: string | number | undefined) => lines.push(`${(label ? `${label}:` : '').padEnd(16)}${value ?? ''}`);
  field('Name', view.name);
  field('Namespace', namespace);
  field('Schedule', view.schedule);
  field('Time zone', view.timeZone ?? "not set (the controller's, usually UTC)");
  field('Paused', String(view.paused));
  field('Image', view.image);
  field('Last run', view.lastSchedule ? `${view.lastSchedule} (${formatAge(view.lastSchedule, now)} ago)` : 'never');
  if (view.lastSuccessful) field('Last success', `${view.lastSuccessful} (${formatAge(view.lastSuccessful, now)} ago)`);
  field('Running now', view.activeJobs);
  if (view.paused) field('Next runs', 'none while paused');
  else if (view.nextRuns.length === 0) field('Next runs', 'none');
  else view.nextRuns.forEach((run, i) => field(i === 0 ? 'Next runs' : '', isoInZone(run, view.timeZone)));
  lines.push('', 'Backup template:');
  if (view.template) lines.push(...templateLines(view.template).map((l) => `  ${l}`));
  else lines.push(`  ${view.templateProblem}`);
  lines.push('', 'Recent backups:');
  if (backups.length === 0) lines.push('  <none>');
  else {
    const table = renderTable(backups, [
      { header: 'Name', value: (b) => b.name },
      { header: 'Phase', value: (b) => b.phase },
      { header: 'Started', value: (b) => b.started },
      { header: 'Expires', value: (b) => (b.expires === null ? 'never' : b.expires) },
    ]);
    lines.push(...table.trimEnd().split('\n').map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

function templateLines(t: BackupTemplate): string[] {
  const list = (values: string[], fallback: string) => (values.length ? values.join(', ') : fallback);
  const lines = [
    `Storage location:           ${t.storageLocation}`,
    `TTL:                        ${t.ttl}`,
    `Included namespaces:        ${list(t.includedNamespaces, '*')}`,
    `Excluded namespaces:        ${list(t.excludedNamespaces, '<none>')}`,
    `Included resources:         ${list(t.includedResources, '*')}`,
    `Excluded resources:         ${list(t.excludedResources, '<none>')}`,
    `Cluster-scoped resources:   ${t.includeClusterResources === null ? 'auto' : String(t.includeClusterResources)}`,
    `Label selector:             ${t.labelSelector ?? (t.orLabelSelectors.length ? t.orLabelSelectors.join(' or ') : '<none>')}`,
    `Client page size:           ${t.clientPageSize}`,
    `Owner references:           ${t.useOwnerReferencesInBackup}`,
  ];
  const ordered = Object.entries(t.orderedResources);
  if (ordered.length) lines.push(`Ordered resources:          ${ordered.map(([r, items]) => `${r}=${items}`).join(';')}`);
  const labels = Object.entries(t.labels);
  if (labels.length) lines.push(`Backup labels:              ${labels.map(([k, v]) => `${k}=${v}`).join(',')}`);
  const annotations = Object.entries(t.annotations);
  if (annotations.length) lines.push(`Backup annotations:         ${annotations.map(([k, v]) => `${k}=${v}`).join(',')}`);
  return lines;
}
