import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore, StoredObject } from './object-store.js';
import { ArtifactIntegrityError, ObjectNotFoundError } from './storage-errors.js';

/**
 * Passes an artifact's bytes through and fails the stream when they are not what the record
 * says: as soon as there are more bytes than recorded (so a huge or hostile object is not read
 * to its end), and at the end when the size or the sha256 differ. A consumer that reads to
 * the end without an error has read exactly the recorded bytes.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(private readonly expected: StoredObject) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expected.size) {
      callback(new ArtifactIntegrityError(this.expected.key, `it is larger than the ${this.expected.size} bytes its record says`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes !== this.expected.size) {
      callback(new ArtifactIntegrityError(this.expected.key, `it has ${this.bytes} bytes, its record says ${this.expected.size}`));
      return;
    }
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.sha256) {
      callback(new ArtifactIntegrityError(this.expected.key, `its sha256 is ${actual}, its record says ${this.expected.sha256}`));
      return;
    }
    callback();
  }
}

/** Opens an artifact for reading; the stream errors if its bytes differ from the record. */
export async function openVerifiedArtifact(store: ObjectStore, artifact: StoredObject): Promise<Readable> {
  let source: Readable;
  try {
    source = await store.get(artifact.key);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new ArtifactIntegrityError(artifact.key, 'it is missing from storage', { cause: err });
    throw err;
  }
  const verifier = new VerifyingStream(artifact);
  // A consumer that stops early destroys the verifier, and that must release the source too.
  source.pipe(verifier);
  source.on('error', (err) => verifier.destroy(err));
  verifier.on('close', () => source.destroy());
  return verifier;
}

/** Reads a whole artifact and checks its size and sha256 against the record. */
export async function verifyArtifact(store: ObjectStore, artifact: StoredObject): Promise<void> {
  const stream = await openVerifiedArtifact(store, artifact);
  await pipeline(stream, new Writable({ write: (_chunk, _encoding, callback) => callback() }));
}
