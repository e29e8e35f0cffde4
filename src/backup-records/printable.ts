/**
 * Text read from storage (messages, labels) shown on a terminal: control characters are
 * replaced, so that an untrusted artifact cannot move the cursor or recolour the screen.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** Text from storage or an archive that must stay on its line: line breaks and tabs become spaces too, so that it cannot pass for other lines. */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, ' ');
}
