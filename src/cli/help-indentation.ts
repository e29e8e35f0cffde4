import { CommandHelp } from '@oclif/core';

type RenderList = (input: (string | undefined)[][], options: Record<string, unknown>) => string;

/**
 * oclif's list renderer trims its whole output, so when the first flag of a section has no
 * short form its label loses the four spaces that line it up under `-o, --output` (oclif 5.1.9).
 * Putting the first label's own leading spaces back fixes every section; oclif offers no help
 * class hook that a single bundled executable can use (it loads one from a file path).
 */
export function keepFirstFlagIndented(): void {
  const formatter = Object.getPrototypeOf(CommandHelp.prototype) as { renderList: RenderList };
  const render = formatter.renderList;
  formatter.renderList = function (this: unknown, input, options) {
    const output = render.call(this, input, options);
    const lead = /^ */.exec(input[0]?.[0] ?? '')?.[0] ?? '';
    return lead !== '' && !output.startsWith(lead) ? lead + output : output;
  };
}
