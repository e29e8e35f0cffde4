import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ExitCode } from '../../src/errors.js';
import { VerifyingStream } from '../../src/storage/artifact-integrity.js';
import { DigestingStream } from '../../src/storage/digesting-stream.js';
import { describeS3Error } from '../../src/storage/s3-error.js';
import { S3ETag } from '../../src/storage/s3-etag.js';
import { ArtifactIntegrityError } from '../../src/storage/storage-errors.js';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

function chunksOf(data: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size) chunks.push(data.subarray(offset, offset + size));
  return chunks;
}

async function drain(stream: Transform, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('storage hashing', () => {
  const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));

  describe('DigestingStream', () => {
    it('passes bytes through and gives their count and sha256', async () => {
      const digest = new DigestingStream();
      const out = await drain(digest, chunksOf(data, 4096));
      assert.deepEqual(out, data);
      assert.equal(digest.byteCount, data.length);
      assert.equal(digest.sha256, sha256(data));
    });

    it('gives the sha256 of nothing for an empty stream', async () => {
      const digest = new DigestingStream();
      await drain(digest, []);
      assert.equal(digest.byteCount, 0);
      assert.equal(digest.sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });

    it('refuses to give a sha256 before the end', () => {
      assert.throws(() => new DigestingStream().sha256, /before the stream ended/);
    });

    it('shows every chunk to an observer', async () => {
      let seen = 0;
      await drain(new DigestingStream((chunk) => (seen += chunk.length)), chunksOf(data, 1000));
      assert.equal(seen, data.length);
    });
  });

  describe('VerifyingStream', () => {
    const expected = { key: 'backups/b/b.tar.gz', size: data.length, sha256: sha256(data) };

    async function verifyFails(chunks: Buffer[], problem: RegExp): Promise<void> {
      await assert.rejects(drain(new VerifyingStream(expected), chunks), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof ArtifactIntegrityError, String(err));
        assert.equal(err.exitCode, ExitCode.BadInput);
        assert.match(err.message, /^artifact "backups\/b\/b\.tar\.gz" failed its integrity check: /);
        assert.match(err.message, problem);
        return true;
      });
    }

    it('passes the recorded bytes through', async () => {
      assert.deepEqual(await drain(new VerifyingStream(expected), chunksOf(data, 777)), data);
    });

    it('fails at the end when bytes are missing', async () => {
      await verifyFails(chunksOf(data.subarray(0, data.length - 1), 4096), /it has 99999 bytes, its record says 100000/);
    });

    it('fails as soon as there are more bytes than recorded, without reading the rest', async () => {
      let produced = 0;
      const endless = new Readable({
        read() {
          produced += 4096;
          this.push(Buffer.alloc(4096));
        },
      });
      await assert.rejects(pipeline(endless, new VerifyingStream(expected), new Writable({ write: (_c, _e, cb) => cb() })), /larger than the 100000 bytes its record says/);
      assert.ok(produced < 1_000_000, `read ${produced} bytes`);
    });

    it('fails at the end when the sha256 differs', async () => {
      const corrupted = Buffer.from(data);
      corrupted[500] = (corrupted[500] ?? 0) ^ 0xff;
      await verifyFails(chunksOf(corrupted, 4096), new RegExp(`its sha256 is ${sha256(corrupted)}, its record says ${expected.sha256}`));
    });
  });

  describe('S3ETag', () => {
    const partSize = 5 * 1024 * 1024;
    const big = Buffer.alloc(partSize * 2 + 12345, 7);

    it('is the md5 of a body that fits one part, whatever the chunking', () => {
      for (const body of [Buffer.alloc(0), data, big.subarray(0, partSize)]) {
        const etag = new S3ETag(partSize);
        for (const chunk of chunksOf(body, 65536)) etag.update(chunk);
        assert.equal(etag.value(), `"${md5(body).toString('hex')}"`);
      }
    });

    it('is the md5 of the part md5s and the part count for a multipart body', () => {
      const parts = chunksOf(big, partSize);
      const expected = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`;
      for (const chunkSize of [1000, 65536, partSize + 1]) {
        const etag = new S3ETag(partSize);
        for (const chunk of chunksOf(big, chunkSize)) etag.update(chunk);
        assert.equal(etag.value(), expected, `chunks of ${chunkSize}`);
      }
    });

    it('closes a part only when more bytes follow, as lib-storage splits', () => {
      const exact = Buffer.alloc(partSize * 2, 1);
      const etag = new S3ETag(partSize);
      etag.update(exact);
      const parts = chunksOf(exact, partSize);
      assert.equal(etag.value(), `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-2"`);
    });
  });

  describe('describeS3Error', () => {
    it('says code, message, status and attempts', () => {
      const err = Object.assign(new Error('We encountered an internal error. Please try again.'), {
        name: 'InternalError',
        Code: 'InternalError',
        $metadata: { httpStatusCode: 500, attempts: 6 },
      });
      assert.equal(describeS3Error(err), 'InternalError: We encountered an internal error. Please try again. (HTTP 500, after 6 attempts)');
    });

    it('says the status when the answer had no body', () => {
      const err = Object.assign(new Error('UnknownError'), { name: '403', $metadata: { httpStatusCode: 403, attempts: 1 } });
      assert.equal(describeS3Error(err), 'Forbidden (HTTP 403)');
    });

    it('says what the socket said', () => {
      const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 3 } });
      assert.equal(describeS3Error(err), 'ECONNRESET: socket hang up (after 3 attempts)');
    });
  });
});
