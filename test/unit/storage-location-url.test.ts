import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { defaultLocationUrl, formatLocationUrl, parseLocationUrl } from '../../src/storage/location-url.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { S3ObjectStore } from '../../src/storage/s3-object-store.js';

function refused(url: string, fragment: string | RegExp): Error {
  let caught: Error | undefined;
  assert.throws(
    () => parseLocationUrl(url),
    (err: Error & { exitCode?: number }) => {
      caught = err;
      assert.equal(err.exitCode, ExitCode.BadInput, err.message);
      if (typeof fragment === 'string') assert.ok(err.message.includes(fragment), `${JSON.stringify(err.message)} should say ${JSON.stringify(fragment)}`);
      else assert.match(err.message, fragment);
      return true;
    },
  );
  return caught as Error;
}

describe('storage location URLs', () => {
  describe('file://', () => {
    it('takes an absolute path, decoded, without a trailing slash', () => {
      assert.deepEqual(parseLocationUrl('file:///var/backups'), { scheme: 'file', path: '/var/backups' });
      assert.deepEqual(parseLocationUrl('file:///var/my%20backups/'), { scheme: 'file', path: '/var/my backups' });
      assert.deepEqual(parseLocationUrl('file://localhost/srv/b'), { scheme: 'file', path: '/srv/b' });
      assert.deepEqual(parseLocationUrl('FILE:///x'), { scheme: 'file', path: '/x' });
    });

    it('refuses a relative path or a host', () => {
      refused('file://relative/path', 'the path must be absolute, as in file:///abs/path');
      refused('file:relative', 'the path must be absolute');
      refused('file:/single-slash', 'the path must be absolute');
      refused('file://backup-host/data', 'the path must be absolute');
    });

    it('refuses a query or fragment', () => {
      refused('file:///a?x=1', 'a file URL takes no query or fragment');
      refused('file:///a#top', 'a file URL takes no query or fragment');
    });

    it('refuses credentials', () => {
      refused('file://me:secret@host/a', 'it has credentials in it');
    });

    it('formats back', () => {
      assert.equal(formatLocationUrl({ scheme: 'file', path: '/var/my backups' }), 'file:///var/my%20backups');
    });
  });

  describe('s3://', () => {
    it('takes a bucket, a prefix and the three parameters', () => {
      assert.deepEqual(parseLocationUrl('s3://my-bucket'), { scheme: 's3', bucket: 'my-bucket', prefix: '' });
      assert.deepEqual(parseLocationUrl('s3://my-bucket/'), { scheme: 's3', bucket: 'my-bucket', prefix: '' });
      assert.deepEqual(parseLocationUrl('s3://my.bucket/team/cluster-1/'), { scheme: 's3', bucket: 'my.bucket', prefix: 'team/cluster-1' });
      assert.deepEqual(parseLocationUrl('s3://b01/p%20q?region=eu-west-1&endpoint=http://127.0.0.1:9000&forcePathStyle=true'), {
        scheme: 's3',
        bucket: 'b01',
        prefix: 'p q',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
      });
      assert.deepEqual(parseLocationUrl('s3://b01?endpoint=https%3A%2F%2Fminio.example.com%2Fs3%2F&forcePathStyle=false'), {
        scheme: 's3',
        bucket: 'b01',
        prefix: '',
        endpoint: 'https://minio.example.com/s3',
        forcePathStyle: false,
      });
    });

    it('formats back to what it parsed', () => {
      for (const url of ['s3://bkt', 's3://bkt/a/b', 's3://bkt/a?region=us-east-1&endpoint=http://127.0.0.1:9000&forcePathStyle=true']) {
        assert.equal(formatLocationUrl(parseLocationUrl(url)), url);
      }
    });

    it('refuses a missing bucket', () => {
      refused('s3://', 'the bucket is missing');
      refused('s3:///prefix', 'the bucket is missing');
      refused('s3:bucket', 'an S3 URL starts with s3://');
    });

    it('refuses bad bucket names, saying why', () => {
      refused('s3://ab', 'bad bucket name "ab": it must be 3 to 63 characters long');
      refused(`s3://${'a'.repeat(64)}`, 'it must be 3 to 63 characters long');
      refused('s3://My_Bucket', 'it may contain only lowercase letters, digits, "." and "-"');
      refused('s3://-bucket', 'it must start and end with a letter or digit');
      refused('s3://bucket-', 'it must start and end with a letter or digit');
      refused('s3://a..b', 'it must not contain ".."');
      refused('s3://192.168.1.10', 'it must not look like an IP address');
      refused('s3://bucket:9000/x', 'may contain only lowercase letters');
    });

    it('refuses prefixes that do not name one place', () => {
      refused('s3://bucket/a//b', 'the prefix contains an empty segment');
      refused('s3://bucket/a/../b', 'the prefix contains a ".." segment');
      refused('s3://bucket/./b', 'the prefix contains a "." segment');
      refused('s3://bucket/a%2Fb', 'an escaped "/"');
      refused('s3://bucket/a%zz', 'malformed %-escape');
    });

    it('refuses unknown, repeated and empty query parameters, without echoing values', () => {
      const err = refused('s3://bucket?secretKey=hunter2', 'unknown query parameter "secretKey"; allowed: region, endpoint, forcePathStyle');
      assert.ok(!err.message.includes('hunter2'));
      refused('s3://bucket?region=a&region=b', 'query parameter "region" is given twice');
      refused('s3://bucket?region=', 'query parameter "region" is empty');
      refused('s3://bucket?region=eu west', 'region must be letters');
      refused('s3://bucket?forcePathStyle=yes', 'forcePathStyle must be true or false');
      refused('s3://bucket#frag', 'an S3 URL takes no fragment');
    });

    it('refuses endpoints that are not http(s) URLs', () => {
      refused('s3://bucket?endpoint=minio:9000', 'endpoint must be an http:// or https:// URL');
      refused('s3://bucket?endpoint=ftp://host', 'endpoint must be an http:// or https:// URL');
      refused('s3://bucket?endpoint=not%20a%20url', 'endpoint is not a URL');
      refused('s3://bucket?endpoint=http://host/?x=1', 'endpoint takes no query or fragment');
    });

    it('refuses credentials in the URL or in the endpoint, and never repeats them', () => {
      for (const url of ['s3://AKIAXXXX:wJalrSECRET@bucket/p', 's3://AKIAXXXX@bucket', 's3://bucket?endpoint=http://AKIAXXXX:wJalrSECRET@127.0.0.1:9000']) {
        const err = refused(url, 'it has credentials in it');
        assert.ok(!err.message.includes('wJalrSECRET') && !err.message.includes('AKIAXXXX'), err.message);
      }
    });

    it('refuses credentials whose secret holds "/", "+", "=", "?" or "#", and never repeats any of them', () => {
      const secrets = ['wJalr/XUtnFEMI', 'wJalr+XUtn/FEMI==', 'a/b+c=d', 'se/cret?x', 'se#cr/et'];
      for (const secret of secrets) {
        for (const url of [`s3://AKIAEXAMPLE:${secret}@mybucket/p`, `s3://AKIAEXAMPLE:${secret}@mybucket`, `https://AKIAEXAMPLE:${secret}@host/x`, `s3://mybucket?endpoint=http://AKIAEXAMPLE:${secret}@127.0.0.1:9000`]) {
          const err = refused(url, 'it has credentials in it');
          assert.ok(!err.message.includes(secret) && !err.message.includes('AKIAEXAMPLE'), err.message);
          assert.match(err.message, /AWS_SECRET_ACCESS_KEY.*--credentials-secret/, 'says where credentials go instead');
        }
        // file:// has its own checks: none of their messages quotes what comes before an "@".
        for (const url of [`file://AKIAEXAMPLE:${secret}@host/p`, `file://AKIAEXAMPLE:${secret}@host/p?x`]) {
          assert.throws(() => parseLocationUrl(url), (err: Error) => !err.message.includes(secret) && !err.message.includes('AKIAEXAMPLE'));
        }
      }
    });

    it('takes an "@" of a prefix written %40', () => {
      assert.deepEqual(parseLocationUrl('s3://bucket/team%40example/p'), { scheme: 's3', bucket: 'bucket', prefix: 'team@example/p' });
      refused('s3://bucket/team@example/p', 'an "@" of a prefix is written %40');
    });
  });

  it('refuses other schemes and plain paths', () => {
    refused('http://bucket.s3.amazonaws.com', 'scheme "http:" is not supported; use file:///abs/path or s3://bucket[/prefix]');
    refused('/var/backups', 'it has no scheme');
    refused('gs://bucket', 'scheme "gs:" is not supported');
  });

  describe('the embedded default', () => {
    it('is $XDG_DATA_HOME/kubectl-backup', () => {
      assert.equal(defaultLocationUrl({ XDG_DATA_HOME: '/data/home' }, '/home/u'), 'file:///data/home/kubectl-backup');
    });

    it('is ~/.local/share/kubectl-backup without XDG_DATA_HOME, or with a relative one', () => {
      assert.equal(defaultLocationUrl({ HOME: '/home/u' }, '/ignored'), 'file:///home/u/.local/share/kubectl-backup');
      assert.equal(defaultLocationUrl({ XDG_DATA_HOME: 'relative', HOME: '/home/u' }, '/ignored'), 'file:///home/u/.local/share/kubectl-backup');
      assert.equal(defaultLocationUrl({}, '/home/v'), 'file:///home/v/.local/share/kubectl-backup');
    });

    it('parses as a file location', () => {
      assert.deepEqual(parseLocationUrl(defaultLocationUrl({ XDG_DATA_HOME: '/d' })), { scheme: 'file', path: '/d/kubectl-backup' });
    });
  });

  describe('openObjectStore', () => {
    it('builds a directory store for file URLs', () => {
      const store = openObjectStore('file:///tmp/somewhere', {});
      assert.ok(store instanceof FileObjectStore);
      assert.equal(store.describe(), 'file:///tmp/somewhere');
    });

    it('builds an S3 store that describes itself without credentials', () => {
      const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID', AWS_SECRET_ACCESS_KEY: 'very/secret+key' };
      const store = openObjectStore('s3://bucket/pre/fix?endpoint=http://127.0.0.1:9&forcePathStyle=true', env);
      assert.ok(store instanceof S3ObjectStore);
      assert.equal(store.describe(), 's3://bucket/pre/fix?endpoint=http://127.0.0.1:9&forcePathStyle=true');
      assert.ok(!JSON.stringify(store.describe()).includes('AKIAEXAMPLEKEYID'));
    });
  });
});
