import assert from 'node:assert/strict';
import { NamespaceFilter, validateNamespacePattern } from '../../src/backup/namespace-filter.js';
import { requireDns1123Name } from '../../src/cli/dns-name.js';
import { parseFilterFlags, parseOptionalBool } from '../../src/cli/filter-flags.js';
import { withImpliedTrue } from '../../src/cli/implied-true-flags.js';
import { formatGoDuration, maxGoDuration, parseGoDuration, parseNonNegativeDuration } from '../../src/cli/go-duration.js';
import { parseKeyValueFlag } from '../../src/cli/key-value-flag.js';
import { splitList } from '../../src/cli/list-flag.js';
import { parseOrSelector, parseSelectors } from '../../src/cli/selector-flags.js';
import { BadInputError } from '../../src/errors.js';

const badInput = (fragment: string) => (err: unknown) => err instanceof BadInputError && err.message.includes(fragment);

describe('backup flag parsers', () => {
  describe('LIST flags', () => {
    it('take comma lists and repeated flags alike', () => {
      assert.deepEqual(splitList(['a,b', 'c']), ['a', 'b', 'c']);
      assert.deepEqual(splitList('a, b ,'), ['a', 'b']);
      assert.deepEqual(splitList(undefined), []);
    });
  });

  describe('--ttl', () => {
    it("reads Go durations", () => {
      assert.equal(parseGoDuration('720h'), 720 * 3_600_000);
      assert.equal(parseGoDuration('30m'), 1_800_000);
      assert.equal(parseGoDuration('1h30m'), 5_400_000);
      assert.equal(parseGoDuration('1.5h'), 5_400_000);
      assert.equal(parseGoDuration('0'), 0);
      assert.equal(parseGoDuration('90s'), 90_000);
      assert.equal(parseGoDuration('250ms'), 250);
      assert.equal(parseGoDuration('-1h'), -3_600_000);
    });

    it('refuses what Go refuses', () => {
      for (const bad of ['', '10', 'h', '1d', '1h30', '.h', 'abc', '1 h']) {
        assert.throws(() => parseGoDuration(bad), /invalid duration/, bad);
      }
    });

    it("refuses durations beyond Go's, to the nanosecond", () => {
      assert.equal(parseGoDuration(maxGoDuration), Number(2n ** 63n - 1n) / 1e6);
      assert.equal(parseGoDuration('-2562047h47m16.854775808s'), -Number(2n ** 63n) / 1e6);
      for (const big of ['2562047h47m16.854775808s', '99999999999h', '2562048h', `1${'0'.repeat(400)}h`, '2562047h1000m']) {
        assert.throws(() => parseGoDuration(big), /invalid duration .*: out of range \(at most 2562047h47m16\.854775807s\)/, big);
      }
      assert.throws(() => parseNonNegativeDuration('ttl', '99999999999h'), badInput('--ttl: invalid duration "99999999999h": out of range'));
      // The longest TTL still gives an expiry that records can hold.
      assert.match(new Date(Date.now() + parseNonNegativeDuration('ttl', maxGoDuration)).toISOString(), /^2[3-9]\d\d-/);
    });

    it('refuses negative TTLs and names the flag', () => {
      assert.throws(() => parseNonNegativeDuration('ttl', '-1h'), badInput('--ttl'));
      assert.throws(() => parseNonNegativeDuration('ttl', '3 days'), badInput('--ttl: invalid duration "3 days"'));
      assert.equal(parseNonNegativeDuration('ttl', '0'), 0);
    });

    it('formats as Go does', () => {
      assert.equal(formatGoDuration(720 * 3_600_000), '720h0m0s');
      assert.equal(formatGoDuration(5_400_000), '1h30m0s');
      assert.equal(formatGoDuration(90_000), '1m30s');
      assert.equal(formatGoDuration(1500), '1.5s');
      assert.equal(formatGoDuration(0), '0s');
    });
  });

  describe('--labels and --annotations', () => {
    it('read k=v lists, repeated or comma-separated', () => {
      assert.deepEqual(parseKeyValueFlag('labels', ['team=web,env=prod', 'example.com/tier=gold']), { team: 'web', env: 'prod', 'example.com/tier': 'gold' });
      assert.deepEqual(parseKeyValueFlag('annotations', ['note=a b=c']), { note: 'a b=c' });
      assert.deepEqual(parseKeyValueFlag('labels', undefined), {});
    });

    it('refuse malformed pairs, keys and label values', () => {
      assert.throws(() => parseKeyValueFlag('labels', ['team']), badInput('"team" is not key=value'));
      assert.throws(() => parseKeyValueFlag('labels', ['=x']), badInput('invalid key'));
      assert.throws(() => parseKeyValueFlag('labels', ['Bad Key=x']), badInput('invalid key'));
      for (const key of ['Example.com/tier', '/tier', 'example..com/tier', `${'a'.repeat(254)}/tier`]) {
        assert.throws(() => parseKeyValueFlag('annotations', [`${key}=x`]), badInput('its prefix must be a DNS-1123 subdomain'), key);
      }
      assert.throws(() => parseKeyValueFlag('labels', ['team=not valid!']), badInput('invalid value'));
      assert.throws(() => parseKeyValueFlag('annotations', ['a=1,a=2']), badInput('twice'));
    });
  });

  describe('backup names', () => {
    it('must be DNS-1123 subdomains', () => {
      assert.equal(requireDns1123Name('backup', 'nightly-1.a'), 'nightly-1.a');
      for (const bad of ['Nightly', 'a_b', '-a', 'a-', '', 'x'.repeat(254), 'a/b']) {
        assert.throws(() => requireDns1123Name('backup', bad), badInput('invalid backup name'), bad);
      }
    });
  });

  describe('namespace globs', () => {
    it('match *, ? and [abc], exclude winning', () => {
      const filter = new NamespaceFilter(['app-*', 'db?', 'team-[ab]'], ['app-old']);
      assert.ok(filter.matches('app-web'));
      assert.ok(!filter.matches('app-old'));
      assert.ok(filter.matches('db1'));
      assert.ok(!filter.matches('db12'));
      assert.ok(filter.matches('team-a'));
      assert.ok(!filter.matches('team-c'));
      assert.ok(!filter.matches('other'));
      assert.ok(new NamespaceFilter(['team-[!a]'], []).matches('team-b'));
      assert.ok(!new NamespaceFilter(['team-[!a]'], []).matches('team-a'));
    });

    it('give the same answers when asked again, past as many namespaces as a cluster holds', () => {
      const filter = new NamespaceFilter(['app-*'], ['app-old-*']);
      const names = Array.from({ length: 10_050 }, (_, i) => (i % 3 === 0 ? `app-old-${i}` : i % 3 === 1 ? `app-${i}` : `other-${i}`));
      const first = names.map((name) => filter.matches(name));
      assert.deepEqual(
        first,
        names.map((name) => name.startsWith('app-') && !name.startsWith('app-old-')),
      );
      assert.deepEqual(
        names.map((name) => filter.matches(name)),
        first,
      );
    });

    it('know when every namespace is included', () => {
      assert.ok(new NamespaceFilter(['*'], []).includesEverything);
      assert.ok(new NamespaceFilter([], []).includesEverything);
      assert.ok(!new NamespaceFilter(['*'], ['kube-system']).includesEverything);
      assert.ok(!new NamespaceFilter(['a'], []).includesEverything);
    });

    it('refuse what is not a namespace glob', () => {
      for (const bad of ['Upper', 'a/b', '{a,b}', '!a', '[abc', 'ab]', '[]', 'a b', '@(a)']) {
        assert.throws(() => validateNamespacePattern('include-namespaces', bad), badInput('--include-namespaces: invalid namespace pattern'), bad);
      }
    });
  });

  describe('selectors', () => {
    it('split --or-selector on " or "', () => {
      assert.deepEqual(parseOrSelector('app=web or tier in (db,cache)'), ['app=web', 'tier in (db,cache)']);
      assert.deepEqual(parseOrSelector('a=b,c=d'), ['a=b,c=d']);
      assert.throws(() => parseOrSelector('a=b or '), badInput('--or-selector'));
    });

    it('refuse -l together with --or-selector', () => {
      assert.throws(() => parseSelectors('a=b', 'c=d or e=f'), badInput('cannot be used together'));
      assert.deepEqual(parseSelectors('a=b', undefined), { labelSelector: 'a=b', orSelectors: [] });
    });

    it('refuse a malformed selector, naming its flag, as the API server would (a schedule stores it for later runs)', () => {
      assert.throws(() => parseSelectors('app in (web', undefined), badInput('invalid --selector "app in (web"'));
      assert.throws(() => parseSelectors('!!!', undefined), badInput('invalid --selector "!!!"'));
      assert.throws(() => parseSelectors(undefined, 'a=b or tier in (db'), badInput('invalid --or-selector "tier in (db"'));
      assert.deepEqual(parseSelectors(undefined, 'a=b or tier in (db,cache)'), { orSelectors: ['a=b', 'tier in (db,cache)'] });
    });
  });

  describe('--include-cluster-resources', () => {
    it('is true, false or unset', () => {
      assert.equal(parseOptionalBool('include-cluster-resources', 'true'), true);
      assert.equal(parseOptionalBool('include-cluster-resources', 'false'), false);
      assert.equal(parseOptionalBool('include-cluster-resources', undefined), undefined);
      assert.throws(() => parseOptionalBool('include-cluster-resources', 'yes'), badInput('expected true or false'));
    });

    it("takes Go's spellings of a boolean, as Velero does", () => {
      for (const yes of ['1', 't', 'T', 'TRUE', 'True', 'tRuE']) assert.equal(parseOptionalBool('include-cluster-resources', yes), true, yes);
      for (const no of ['0', 'f', 'F', 'FALSE', 'False']) assert.equal(parseOptionalBool('include-cluster-resources', no), false, no);
    });

    it('alone means true (Velero: NoOptDefVal), and takes a boolean that follows it as its value', () => {
      assert.deepEqual(withImpliedTrue(['create', 'b', '--include-cluster-resources']), ['create', 'b', '--include-cluster-resources=true']);
      assert.deepEqual(withImpliedTrue(['create', '--include-cluster-resources', 'b']), ['create', '--include-cluster-resources=true', 'b']);
      assert.deepEqual(withImpliedTrue(['create', 'b', '--include-cluster-resources', '--dry-run']), ['create', 'b', '--include-cluster-resources=true', '--dry-run']);
      assert.deepEqual(withImpliedTrue(['create', 'b', '--include-cluster-resources', 'false']), ['create', 'b', '--include-cluster-resources', 'false']);
      assert.deepEqual(withImpliedTrue(['create', 'b', '--include-cluster-resources=false']), ['create', 'b', '--include-cluster-resources=false']);
      assert.deepEqual(withImpliedTrue(['create', '--', '--include-cluster-resources']), ['create', '--', '--include-cluster-resources']);
    });
  });

  describe('all filter flags together', () => {
    it('default to everything', () => {
      assert.deepEqual(parseFilterFlags({}), {
        includeNamespaces: ['*'],
        excludeNamespaces: [],
        includeResources: ['*'],
        excludeResources: [],
        orSelectors: [],
        orderedResources: {},
      });
    });

    it('combine repeated and comma-separated values', () => {
      const filters = parseFilterFlags({
        'include-namespaces': ['a,b', 'c*'],
        'exclude-resources': ['secrets', 'events'],
        'include-cluster-resources': 'false',
        selector: 'app=web',
        'ordered-resources': 'pods=a/p1',
      });
      assert.deepEqual(filters.includeNamespaces, ['a', 'b', 'c*']);
      assert.deepEqual(filters.excludeResources, ['secrets', 'events']);
      assert.equal(filters.includeClusterResources, false);
      assert.equal(filters.labelSelector, 'app=web');
      assert.deepEqual(filters.orderedResources, { pods: ['a/p1'] });
    });

    it('refuse bad resource names and excluding everything', () => {
      assert.throws(() => parseFilterFlags({ 'include-resources': ['po ds'] }), badInput('not a resource name'));
      assert.throws(() => parseFilterFlags({ 'exclude-resources': ['*'] }), badInput('nothing to back up'));
    });
  });
});
