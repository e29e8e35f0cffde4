import type { Writable } from 'node:stream';
import { once } from 'node:events';
import YAML from 'yaml';
import { printable } from './printable.js';
import type { ResourceListEvent } from './resource-list-parser.js';

export type DetailsFormat = 'table' | 'json' | 'yaml';

/** A resource list that cannot be shown (a record from before its kind stored one), and why. */
export interface UnavailableList {
  readonly unavailable: string;
}

/**
 * `describe --details`: the description, then every item of the resource list as it streams
 * from storage (a backup of 100k items is never held whole). In text, Velero's "Resource
 * List" block; in json and yaml the description with a `resourceList` field
 * (`{"apps/v1/Deployment": ["ns/name", ...]}`, the artifact's own shape) written last, so
 * the output is one valid document. A list that is not available is said so in text, and is
 * `null` in json and yaml.
 */
export async function writeWithDetails(out: Writable, format: DetailsFormat, head: string | object, events: AsyncIterable<ResourceListEvent> | UnavailableList): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if ('unavailable' in events) {
    const data = typeof head === 'string' ? head : { ...head, resourceList: null };
    if (format === 'json') await write(`${JSON.stringify(data, null, 2)}\n`);
    else if (format === 'yaml') await write(YAML.stringify(data));
    else await write(`${typeof head === 'string' ? head : JSON.stringify(head)}\nResource List:  <${printable(events.unavailable)}>\n`);
    return;
  }
  if (format === 'json') {
    const json = JSON.stringify(head, null, 2);
    await write(`${json.slice(0, json.lastIndexOf('}')).trimEnd()},\n  "resourceList": {`);
    let type: string | undefined;
    let firstItem = true;
    for await (const event of events) {
      if (event.kind === 'type') {
        await write(`${type === undefined ? '' : '\n    ],'}\n    ${JSON.stringify(event.type)}: [`);
        type = event.type;
        firstItem = true;
      } else {
        await write(`${firstItem ? '' : ','}\n      ${JSON.stringify(event.item)}`);
        firstItem = false;
      }
    }
    await write(type === undefined ? '}\n}\n' : '\n    ]\n  }\n}\n');
    return;
  }
  if (format === 'yaml') {
    await write(YAML.stringify(head));
    await write('resourceList:');
    let any = false;
    let emptyType = false;
    for await (const event of events) {
      if (event.kind === 'type') {
        await write(`${emptyType ? ' []' : ''}\n  ${JSON.stringify(event.type)}:`);
        emptyType = true;
      } else {
        await write(`\n    - ${JSON.stringify(event.item)}`);
        emptyType = false;
      }
      any = true;
    }
    await write(emptyType ? ' []\n' : any ? '\n' : ' {}\n');
    return;
  }
  await write(typeof head === 'string' ? head : JSON.stringify(head));
  await write('\nResource List:');
  let any = false;
  for await (const event of events) {
    any = true;
    await write(event.kind === 'type' ? `\n  ${printable(event.type)}:` : `\n    - ${printable(event.item)}`);
  }
  await write(any ? '\n' : '  <none>\n');
}
