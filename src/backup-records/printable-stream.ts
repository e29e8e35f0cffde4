import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { printable } from './printable.js';

/**
 * A text stream from storage made printable as it passes (printable()). Our logs never hold
 * control characters other than line breaks and tabs (JSON escapes the rest), so this changes
 * nothing in a log we wrote and defuses one that someone else did, whether stdout is a
 * terminal or a pipe to one.
 */
export function printableStream(): Transform {
  // A multi-byte character may be split between chunks: the decoder holds its first bytes.
  const decoder = new StringDecoder('utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, printable(decoder.write(chunk)));
    },
    flush(done) {
      done(null, printable(decoder.end()));
    },
  });
}
