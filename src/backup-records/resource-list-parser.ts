import { StringDecoder } from 'node:string_decoder';
import { BadInputError } from '../errors.js';

/** One step of a resource list: a type opens, or an item of the open type. */
export type ResourceListEvent = { readonly kind: 'type'; readonly type: string } | { readonly kind: 'item'; readonly type: string; readonly item: string };

/** A key or a name longer than this is not one of ours (names are at most 253 characters). */
const maxStringChars = 64 * 1024;

/** `*-start`: a string must come next (after a comma); `key` and `item`: inside one. */
type State = 'start' | 'key-or-end' | 'key-start' | 'key' | 'colon' | 'array' | 'item-or-end' | 'item-start' | 'item' | 'after-item' | 'after-array' | 'done';

/**
 * Reads the resource list artifact (`{"apps/v1/Deployment": ["ns/name", ...], ...}`,
 * storage.md) as it streams, one event at a time, so that `describe --details` lists a backup
 * of any size without holding its list. Only that shape is accepted: an object of arrays of
 * strings. The artifact comes from storage and is untrusted: any other shape, or an oversized
 * string, is an error naming the artifact.
 */
export async function* parseResourceList(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, artifact: string): AsyncGenerator<ResourceListEvent> {
  const parser = new ResourceListParser(artifact);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    yield* parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  yield* parser.push(decoder.end());
  parser.end();
}

export class ResourceListParser {
  private state: State = 'start';
  private type = '';
  /** The raw text of the string being read, quotes included, for JSON.parse. */
  private raw = '';
  private escaped = false;
  private offset = 0;

  constructor(private readonly artifact: string) {}

  push(text: string): ResourceListEvent[] {
    const events: ResourceListEvent[] = [];
    for (let i = 0; i < text.length; i++, this.offset++) {
      const c = text[i]!;
      if (this.state === 'key' || this.state === 'item') {
        this.readString(c, events);
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      switch (this.state) {
        case 'start':
          this.expect(c, '{', 'key-or-end');
          break;
        case 'key-or-end':
          if (c === '}') this.state = 'done';
          else this.openString(c, 'key');
          break;
        case 'colon':
          this.expect(c, ':', 'array');
          break;
        case 'array':
          this.expect(c, '[', 'item-or-end');
          break;
        case 'item-or-end':
          if (c === ']') this.state = 'after-array';
          else this.openString(c, 'item');
          break;
        case 'key-start':
          this.openString(c, 'key');
          break;
        case 'item-start':
          this.openString(c, 'item');
          break;
        case 'after-item':
          if (c === ',') this.state = 'item-start';
          else this.expect(c, ']', 'after-array');
          break;
        case 'after-array':
          if (c === ',') this.state = 'key-start';
          else this.expect(c, '}', 'done');
          break;
        case 'done':
          this.fail(`unexpected ${JSON.stringify(c)} after the end`);
      }
    }
    return events;
  }

  /** The input ended: it must have ended with the object. */
  end(): void {
    if (this.state !== 'done') this.fail('it ends before the list is complete');
  }

  private openString(c: string, state: 'key' | 'item'): void {
    if (c !== '"') this.fail(`expected a string, found ${JSON.stringify(c)}`);
    this.state = state;
    this.raw = '"';
    this.escaped = false;
  }

  private readString(c: string, events: ResourceListEvent[]): void {
    this.raw += c;
    if (this.raw.length > maxStringChars) this.fail(`a string is longer than ${maxStringChars} characters`);
    if (this.escaped) {
      this.escaped = false;
      return;
    }
    if (c === '\\') {
      this.escaped = true;
      return;
    }
    if (c !== '"') return;
    let value: string;
    try {
      value = JSON.parse(this.raw) as string;
    } catch {
      this.fail('a string is not valid JSON');
    }
    this.raw = '';
    if (this.state === 'key') {
      this.type = value;
      events.push({ kind: 'type', type: value });
      this.state = 'colon';
    } else {
      events.push({ kind: 'item', type: this.type, item: value });
      this.state = 'after-item';
    }
  }

  private expect(c: string, wanted: string, next: State): void {
    if (c !== wanted) this.fail(`expected ${JSON.stringify(wanted)}, found ${JSON.stringify(c)}`);
    this.state = next;
  }

  private fail(problem: string): never {
    throw new BadInputError(`artifact "${this.artifact}" is not a resource list: ${problem} (at character ${this.offset})`);
  }
}
