import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { parseCron } from '../../src/schedule/cron.js';
import { nextRuns, requireRuns } from '../../src/schedule/next-runs.js';
import { validateTimeZone } from '../../src/schedule/time-zone.js';

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: Error & { exitCode?: number }) => {
    assert.equal(err.exitCode, ExitCode.BadInput, err.message);
    assert.equal(err.message, message);
    return true;
  });
}

const badSchedule = (schedule: string, why: string) => rejects(() => parseCron(schedule), `invalid --schedule ${JSON.stringify(schedule)}: ${why}`);

describe('cron: what the CronJob API accepts', () => {
  it('accepts five fields with numbers, ranges, steps, lists, names and ?', () => {
    for (const ok of [
      '* * * * *', '0 0 * * *', '*/5 * * * *', '0-59/15 * * * *', '5/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 * *',
      '0 0 1 JAN,jul *', '30 2 * * sun', '0 0 ? * MON', '0 0 1 * ?', '? ? ? ? ?', '59 23 31 12 6', '0 0 1 1 0', '00 05 * * *',
      '*/61 * * * *', '0 */2 * * *', '0 0 * jan-dec/2 *', '0 0 * * sat-sat', '1,2,3-5,10/10 * * * *', '  0  0 * * *  ', '0\t0 * * *',
    ]) {
      assert.equal(parseCron(ok).expression, ok, ok);
    }
  });

  it('accepts the documented descriptors', () => {
    const expected: Record<string, string> = {
      '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
      '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
    };
    for (const [descriptor, fields] of Object.entries(expected)) {
      assert.deepEqual(parseCron(descriptor), { expression: descriptor, fields });
    }
  });

  it('writes "any value" fields as * so day-of-month and day-of-week combine as the controller does', () => {
    assert.equal(parseCron('0 0 ? * MON').fields, '0 0 * * 1');
    assert.equal(parseCron('0 0 */1 * 1').fields, '0 0 * * 1');
    assert.equal(parseCron('0 0 */10 * 1').fields, '0 0 1,11,21,31 * 1', 'a step over 1 is a restriction');
    assert.equal(parseCron('0 0 1,* * *').fields, '0 0 * * *');
  });

  it('writes every other field as the plain list of its values', () => {
    assert.equal(parseCron('5/15 9-17/4,12 1-3,2 jan-mar/2 MON-FRI').fields, '5,20,35,50 9,12,13,17 1,2,3 1,3 1,2,3,4,5');
    assert.equal(parseCron('0 0 * * 0-6').fields, '0 0 * * 0,1,2,3,4,5,6', 'every day listed is still a restriction for the controller');
  });

  it('names the field and its range when a value is out of range', () => {
    badSchedule('61 * * * *', 'minute 61 is out of range 0-59');
    badSchedule('0 24 * * *', 'hour 24 is out of range 0-23');
    badSchedule('0 0 0 * *', 'day-of-month 0 is out of range 1-31');
    badSchedule('0 0 32 * *', 'day-of-month 32 is out of range 1-31');
    badSchedule('0 0 * 13 *', 'month 13 is out of range 1-12');
    badSchedule('0 0 * 0 *', 'month 0 is out of range 1-12');
    badSchedule('0 0 * * 7', 'day-of-week 7 is out of range 0-6');
    badSchedule('0-60 * * * *', 'minute 60 is out of range 0-59');
    badSchedule('1,2,99 * * * *', 'minute 99 is out of range 0-59');
    badSchedule('0 20-25/2 * * *', 'hour 25 is out of range 0-23');
  });

  it('refuses malformed items, naming the field', () => {
    badSchedule('x * * * *', 'minute "x" is not a number');
    badSchedule('0 0 * FOO *', 'month "FOO" is not a number or a name (JAN-DEC)');
    badSchedule('0 0 * * MONDAY', 'day-of-week "MONDAY" is not a number or a name (SUN-SAT)');
    badSchedule('0 0 MON * *', 'day-of-month "MON" is not a number');
    badSchedule('0 0 * * JAN', 'day-of-week "JAN" is not a number or a name (SUN-SAT)');
    badSchedule('30-10 * * * *', 'minute range 30-10 ends before it starts');
    badSchedule('0 0 * * FRI-MON', 'day-of-week range FRI-MON ends before it starts');
    badSchedule('*/0 * * * *', 'minute step must be a positive number, got 0');
    badSchedule('*/x * * * *', 'minute step "x" is not a number');
    badSchedule('*/ * * * *', 'minute step "" is not a number');
    badSchedule('1/2/3 * * * *', 'minute "1/2/3" has more than one "/"');
    badSchedule('1-2-3 * * * *', 'minute "1-2-3" has more than one "-"');
    badSchedule('-5 * * * *', 'minute "-5" is not a range (N-M)');
    badSchedule('5- * * * *', 'minute "5-" is not a range (N-M)');
    badSchedule('+5 * * * *', 'minute "+5" is not a number');
    badSchedule('*-5 * * * *', 'minute "*-5" is not a range (N-M)');
    badSchedule('1,,2 * * * *', 'minute has an empty item in "1,,2"');
    badSchedule('0 L * * *', 'hour "L" is not a number');
    badSchedule('0 0 * * 1#2', 'day-of-week "1#2" is not a number or a name (SUN-SAT)');
    badSchedule('1.5 * * * *', 'minute "1.5" is not a number');
  });

  it('wants exactly five fields', () => {
    badSchedule('* * * *', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 4');
    badSchedule('0 * * * * *', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 6');
    badSchedule('daily', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 1');
    badSchedule(' @daily', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 1');
  });

  it('refuses an empty schedule, unknown descriptors and @every', () => {
    const shape = 'five fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly';
    badSchedule('', `it is empty; expected ${shape}`);
    badSchedule('   ', `it is empty; expected ${shape}`);
    badSchedule('@reboot', 'unknown descriptor @reboot; expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly');
    badSchedule('@Daily', 'unknown descriptor @Daily; expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly');
    badSchedule('@daily ', 'unknown descriptor @daily ; expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly');
    badSchedule('@every 1h', `@every is not supported by CronJobs; use ${shape}, e.g. "*/30 * * * *"`);
  });

  it('refuses a time zone in the schedule and points to --time-zone', () => {
    const why = 'a time zone cannot be given in the schedule (TZ= or CRON_TZ=); use --time-zone instead, e.g. --time-zone Europe/Paris';
    badSchedule('TZ=UTC 0 0 * * *', why);
    badSchedule('CRON_TZ=Europe/Paris 0 0 * * *', why);
    badSchedule('0 0 * * * TZ', why);
  });

  it('names the flag it checks', () => {
    rejects(() => parseCron('61 * * * *', 'spec.schedule'), 'invalid spec.schedule "61 * * * *": minute 61 is out of range 0-59');
  });

  it('refuses a schedule that never runs', () => {
    for (const never of ['0 0 31 2 *', '0 0 30 2 *', '0 0 31 4,6,9,11 *']) {
      rejects(() => requireRuns(parseCron(never)), `invalid --schedule ${JSON.stringify(never)}: it never runs (that day of the month does not occur in those months)`);
    }
    requireRuns(parseCron('0 0 29 2 *'));
    requireRuns(parseCron('0 0 31 2 1'));
  });
});

describe('cron: next runs', () => {
  const from = new Date('2025-03-29T12:00:00Z');
  const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

  it('computes in UTC without a time zone', () => {
    assert.deepEqual(iso(nextRuns(parseCron('0 2 * * *'), undefined, from, 2)), ['2025-03-30T02:00:00.000Z', '2025-03-31T02:00:00.000Z']);
    assert.deepEqual(iso(nextRuns(parseCron('@hourly'), undefined, from, 2)), ['2025-03-29T13:00:00.000Z', '2025-03-29T14:00:00.000Z']);
  });

  it('computes in the schedule time zone, across daylight saving changes', () => {
    // 2025-03-30: Paris moves from UTC+1 to UTC+2.
    assert.deepEqual(iso(nextRuns(parseCron('0 4 * * *'), 'Europe/Paris', from, 2)), ['2025-03-30T02:00:00.000Z', '2025-03-31T02:00:00.000Z']);
    assert.deepEqual(iso(nextRuns(parseCron('30 9 * * MON-FRI'), 'America/New_York', from, 1)), ['2025-03-31T13:30:00.000Z']);
  });

  it('combines day-of-month and day-of-week as the controller does', () => {
    // Both restricted: either matches.
    assert.deepEqual(iso(nextRuns(parseCron('0 0 1 * MON'), undefined, from, 3)), ['2025-03-31T00:00:00.000Z', '2025-04-01T00:00:00.000Z', '2025-04-07T00:00:00.000Z']);
    // One is "any" (? or */1): both must match.
    assert.deepEqual(iso(nextRuns(parseCron('0 0 ? * MON'), undefined, from, 2)), ['2025-03-31T00:00:00.000Z', '2025-04-07T00:00:00.000Z']);
    assert.deepEqual(iso(nextRuns(parseCron('0 0 */1 * MON'), undefined, from, 1)), ['2025-03-31T00:00:00.000Z']);
  });

  it('reads N/STEP as N to the maximum, like the controller', () => {
    assert.deepEqual(iso(nextRuns(parseCron('50/5 * * * *'), undefined, from, 3)), ['2025-03-29T12:50:00.000Z', '2025-03-29T12:55:00.000Z', '2025-03-29T13:50:00.000Z']);
    // Day-of-week ends at 6 (Saturday): 6/1 is Saturday alone, 1/2 is Monday, Wednesday, Friday.
    assert.deepEqual(iso(nextRuns(parseCron('0 0 * * 6/1'), undefined, from, 2)), ['2025-04-05T00:00:00.000Z', '2025-04-12T00:00:00.000Z']);
    assert.deepEqual(iso(nextRuns(parseCron('0 0 * * 1/2'), undefined, from, 3)), ['2025-03-31T00:00:00.000Z', '2025-04-02T00:00:00.000Z', '2025-04-04T00:00:00.000Z']);
  });

  it('runs a schedule that names a value twice, as the controller does', () => {
    for (const [schedule, first] of [
      ['0,0 * * * *', ['2025-03-29T13:00:00.000Z', '2025-03-29T14:00:00.000Z']],
      ['0-30,15 * * * *', ['2025-03-29T12:01:00.000Z', '2025-03-29T12:02:00.000Z']],
      ['0 0 * * sat,SAT', ['2025-04-05T00:00:00.000Z', '2025-04-12T00:00:00.000Z']],
      // Both day fields restricted: either matches, and 0-6 matches every day.
      ['0 0 10 * 1-5,0-6', ['2025-03-30T00:00:00.000Z', '2025-03-31T00:00:00.000Z']],
    ] as const) {
      requireRuns(parseCron(schedule));
      assert.deepEqual(iso(nextRuns(parseCron(schedule), undefined, from, 2)), first, schedule);
    }
  });

  it('is empty for a schedule that never runs', () => {
    assert.deepEqual(nextRuns(parseCron('0 0 31 2 *'), undefined, from, 2), []);
  });
});

describe('cron: --time-zone', () => {
  it('accepts IANA names', () => {
    for (const ok of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Asia/Kolkata', 'US/Eastern', 'EST5EDT']) {
      assert.equal(validateTimeZone(ok), ok);
    }
  });

  it('refuses unknown names, Local, offsets, paths and wrong case', () => {
    rejects(() => validateTimeZone('Europe/Pariss'), 'invalid --time-zone "Europe/Pariss": unknown time zone; give an IANA name such as Europe/Paris or UTC');
    rejects(() => validateTimeZone('Local'), 'invalid --time-zone "Local": it must be an explicit IANA time zone name such as Europe/Paris, not Local');
    rejects(() => validateTimeZone(''), 'invalid --time-zone "": it is empty; give an IANA time zone name such as Europe/Paris or UTC, or leave the flag out');
    for (const bad of ['+01:00', '../etc/passwd', 'Europe//Paris', '/UTC', 'Europe/Paris Time', 'America/-Foo']) {
      rejects(() => validateTimeZone(bad), `invalid --time-zone "${bad}": not an IANA time zone name such as Europe/Paris or UTC`);
    }
    rejects(() => validateTimeZone('europe/paris'), 'invalid --time-zone "europe/paris": time zone names are case-sensitive: did you mean Europe/Paris?');
  });
});
