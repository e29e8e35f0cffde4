import { Writable } from 'node:stream';

/**
 * Just enough of a VT100 to replay what a progress display writes and read the screen after:
 * text with autowrap, CR/LF (LF as the tty's onlcr makes it: to the next line's start), cursor
 * save/restore (ESC 7/8), CSI A/B/C/D/G/H moves, K/J erases; modes (?25, ?7) are recorded.
 */
export class TerminalScreen {
  readonly lines: string[] = [''];
  private row = 0;
  private col = 0;
  private saved = { row: 0, col: 0 };
  private autowrap = true;
  /** Everything written, for assertions on the sequences themselves. */
  raw = '';

  constructor(readonly columns = 60) {}

  /** A stream on this screen, as a tty.WriteStream looks to cli-progress and readline. */
  stream(): Writable & { isTTY: true; columns: number } {
    const writable = new Writable({
      decodeStrings: false,
      // Handled at once (as on a Linux tty): a stream's writes and another's stay in order.
      write: (chunk: string | Buffer, _encoding, done) => {
        this.write(String(chunk));
        done();
      },
    });
    return Object.assign(writable, { isTTY: true as const, columns: this.columns });
  }

  /** The screen's text, trailing blanks and empty last lines trimmed. */
  text(): string[] {
    const out = this.lines.map((l) => l.trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  private write(data: string): void {
    this.raw += data;
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\u001b') {
        const next = data[i + 1];
        if (next === '7') {
          this.saved = { row: this.row, col: this.col };
          i += 2;
        } else if (next === '8') {
          ({ row: this.row, col: this.col } = this.saved);
          i += 2;
        } else if (next === '[') {
          const match = /^\[(\??)([\d;]*)([A-Za-z])/.exec(data.slice(i + 1));
          if (!match) throw new Error(`unknown sequence at ${JSON.stringify(data.slice(i, i + 8))}`);
          this.csi(match[1] === '?', match[2]!, match[3]!);
          i += 1 + match[0].length;
        } else {
          throw new Error(`unknown escape ${JSON.stringify(data.slice(i, i + 4))}`);
        }
      } else if (ch === '\n') {
        this.moveTo(this.row + 1, 0);
        i++;
      } else if (ch === '\r') {
        this.col = 0;
        i++;
      } else {
        this.put(ch);
        i++;
      }
    }
  }

  private put(ch: string): void {
    if (this.col >= this.columns) {
      if (!this.autowrap) {
        this.col = this.columns - 1;
      } else {
        this.moveTo(this.row + 1, 0);
      }
    }
    const line = this.lines[this.row]!.padEnd(this.col);
    this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
    this.col++;
  }

  private csi(privateMode: boolean, params: string, final: string): void {
    const numbers = params === '' ? [] : params.split(';').map(Number);
    const n = numbers[0] ?? 0;
    if (privateMode) {
      if (n === 7) this.autowrap = final === 'h';
      return;
    }
    const line = () => this.lines[this.row]!;
    switch (final) {
      case 'A':
        return this.moveTo(Math.max(0, this.row - (n || 1)), this.col);
      case 'B':
        return this.moveTo(this.row + (n || 1), this.col);
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + (n || 1));
        return;
      case 'D':
        this.col = Math.max(0, this.col - (n || 1));
        return;
      case 'G':
        this.col = Math.max(0, (n || 1) - 1);
        return;
      case 'H':
        return this.moveTo((n || 1) - 1, (numbers[1] || 1) - 1);
      case 'K':
        if (n === 0) this.lines[this.row] = line().slice(0, this.col);
        else if (n === 1) this.lines[this.row] = ' '.repeat(this.col + 1) + line().slice(this.col + 1);
        else this.lines[this.row] = '';
        return;
      case 'J':
        this.lines[this.row] = line().slice(0, this.col);
        this.lines.length = this.row + 1;
        return;
      default:
        throw new Error(`unknown CSI ${params}${final}`);
    }
  }

  private moveTo(row: number, col: number): void {
    while (this.lines.length <= row) this.lines.push('');
    this.row = row;
    this.col = col;
  }
}
