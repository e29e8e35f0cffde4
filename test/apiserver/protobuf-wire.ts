/** One field as read off the protobuf wire. */
export interface WireField {
  number: number;
  wireType: number;
  /** Varint fields: the value as a (two's complement, 64-bit) bigint. */
  varint?: bigint;
  /** Length-delimited fields: the payload. */
  bytes?: Buffer;
}

export class WireError extends Error {}

class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new WireError('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asIntN(64, result);
      shift += 7n;
      if (shift > 70n) throw new WireError('varint too long');
    }
  }
}

/** Splits a protobuf message into its fields, in wire order. */
export function readFields(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  const c = new Cursor(buf);
  while (c.pos < buf.length) {
    const tag = Number(c.varint());
    const number = tag >>> 3;
    const wireType = tag & 7;
    switch (wireType) {
      case 0:
        fields.push({ number, wireType, varint: c.varint() });
        break;
      case 2: {
        const length = Number(c.varint());
        if (c.pos + length > buf.length) throw new WireError('truncated length-delimited field');
        fields.push({ number, wireType, bytes: buf.subarray(c.pos, c.pos + length) });
        c.pos += length;
        break;
      }
      case 1:
        c.pos += 8;
        fields.push({ number, wireType });
        break;
      case 5:
        c.pos += 4;
        fields.push({ number, wireType });
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** Reads a packed run of varints (repeated numbers may arrive packed). */
export function readPackedVarints(buf: Buffer): bigint[] {
  const c = new Cursor(buf);
  const out: bigint[] = [];
  while (c.pos < buf.length) out.push(c.varint());
  return out;
}
