import { Transform, type TransformCallback } from 'node:stream';

/**
 * Below this, an archive may unpack to anything: small archives of very repetitive objects
 * (ConfigMaps of one repeated character) legitimately unpack to a few hundred times their size.
 */
const defaultUnpackedFloorBytes = 256 * 1024 * 1024;

/**
 * Above the floor, the unpacked bytes may be at most this many times the compressed bytes read.
 * Our own archives are written at zlib level 1, whose ratio cannot pass ~230 even on a run of
 * one byte (measured: 229 on 16 MiB of zeros, 27 on ConfigMaps); ordinary backups are 5 to 30.
 * gzip at its best level reaches ~1030, which is what a decompression bomb uses: a 1 MB archive
 * of 64 items of 15 MB filled the disk with ~1 GB of spool. A Velero archive (gzip's default
 * level) could pass 250 only if nearly all of it were such runs, which no real cluster holds.
 */
const defaultUnpackedRatio = 250;

export interface UnpackedLimit {
  floorBytes: number;
  ratio: number;
}

/** What the limit reads of the gunzip stream: the compressed bytes it has taken in. */
interface CompressedCounter {
  readonly bytesWritten: number;
}

/**
 * Passes the unpacked bytes of an archive on, and fails once they exceed what the compressed
 * bytes read so far may unpack to. Checked as the bytes come, so that a bomb is stopped at its
 * first hundreds of megabytes, before its items reach the spool or its end is read.
 */
export class UnpackedBytesLimit extends Transform {
  private unpacked = 0;
  private readonly limit: UnpackedLimit;

  constructor(
    private readonly gunzip: CompressedCounter,
    limit: UnpackedLimit | undefined,
    private readonly tooMuch: (problem: string) => Error,
  ) {
    super();
    this.limit = limit ?? { floorBytes: defaultUnpackedFloorBytes, ratio: defaultUnpackedRatio };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.unpacked += chunk.length;
    const { floorBytes, ratio } = this.limit;
    const compressed = this.gunzip.bytesWritten;
    if (this.unpacked > Math.max(floorBytes, ratio * compressed)) {
      callback(this.tooMuch(`its first ${compressed} bytes unpack to ${this.unpacked} or more, over ${ratio} times as many and over ${floorBytes} bytes: a decompression bomb`));
      return;
    }
    callback(null, chunk);
  }
}
