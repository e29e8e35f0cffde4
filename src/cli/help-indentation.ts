import { stripVTControlCharacters } from 'node:util';
import { CommandHelp } from '@oclif/core/help';

type RenderList = (input: (string | undefined)[][], options: Record<string, unknown>) => string;

/**
 * oclif's list renderer trims its whole output, so when the first flag of a section has no
 * short form its label loses the four spaces that line it up under `-o, --output` (oclif 5.1.9).
 * Putting the first label's own leading spaces back fixes every section; oclif offers no help
 * class hook that a single bundled executable can use (it loads one from a file path).
 * A section with long descriptions is rendered with each label on a line of its own and every
 * label trimmed (oclif decides so while rendering): its first line is then the bare label of an
 * entry that has a description, and it is left alone, or that first label alone would stand out.
 */
export function keepFirstFlagIndented(): void {
  const formatter = Object.getPrototypeOf(CommandHelp.prototype) as { renderList: RenderList };
  const render = formatter.renderList;
  formatter.renderList = function (this: unknown, input, options) {
    const output = render.call(this, input, options);
    const [label, description] = input[0] ?? [];
    if (description && stripVTControlCharacters(output.split('\n', 1)[0]!) === stripVTControlCharacters(label?.trim() ?? '')) return output;
    const lead = /^ */.exec(label ?? '')?.[0] ?? '';
    return lead !== '' && !output.startsWith(lead) ? lead + output : output;
  };
}
