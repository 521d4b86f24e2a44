// A small ESC/POS decoder for tests: reads what a receipt printer would receive and keeps the printable text
// (line by line), the cuts and the real-time status queries (DLE EOT n). It knows the commands our encoder
// sends (docs/hardware.md, "Receipt printer") and fails on any other control byte, so a test notices a
// command it has not reasoned about instead of reading it as text.

export interface DecodedPrint {
  /** Printed lines, trailing spaces trimmed (the encoder pads centred text with leading spaces). */
  lines: string[];
  /** Paper cuts (GS V), in order: 'full' or 'partial'. */
  cuts: ('full' | 'partial')[];
  /** The n of each DLE EOT n, in order. */
  statusQueries: number[];
}

/** Code page 437 above 0x7f, for the few letters a slip may carry; anything else reads as '?'. */
const CP437_HIGH: Readonly<Record<number, string>> = {
  0x82: 'é',
  0x8a: 'è',
  0x85: 'à',
  0x87: 'ç',
  0xfa: '·',
};

/** Commands as (prefix bytes, count of parameter bytes). */
const COMMANDS: readonly { prefix: readonly number[]; params: number }[] = [
  { prefix: [0x1b, 0x40], params: 0 }, // ESC @ initialise
  { prefix: [0x1c, 0x2e], params: 0 }, // FS . cancel Kanji mode
  { prefix: [0x1b, 0x4d], params: 1 }, // ESC M font
  { prefix: [0x1b, 0x45], params: 1 }, // ESC E bold
  { prefix: [0x1b, 0x47], params: 1 }, // ESC G double strike
  { prefix: [0x1b, 0x2d], params: 1 }, // ESC - underline
  { prefix: [0x1b, 0x61], params: 1 }, // ESC a align
  { prefix: [0x1b, 0x74], params: 1 }, // ESC t code page
  { prefix: [0x1b, 0x21], params: 1 }, // ESC ! print mode
  { prefix: [0x1b, 0x64], params: 1 }, // ESC d feed n lines
  { prefix: [0x1d, 0x21], params: 1 }, // GS ! character size
  { prefix: [0x1d, 0x42], params: 1 }, // GS B invert
  { prefix: [0x10, 0x04], params: 1 }, // DLE EOT n: real-time status
];

export function decodeEscPos(bytes: Uint8Array): DecodedPrint {
  const lines: string[] = [];
  const cuts: ('full' | 'partial')[] = [];
  const statusQueries: number[] = [];
  let line = '';
  let i = 0;
  const at = (k: number): number => {
    const byte = bytes[k];
    if (byte === undefined) throw new Error(`ESC/POS stream ends inside a command at byte ${k}`);
    return byte;
  };
  while (i < bytes.length) {
    const byte = at(i);
    if (byte === 0x0a) {
      lines.push(line.trimEnd());
      line = '';
      i += 1;
      continue;
    }
    if (byte === 0x0d) {
      i += 1;
      continue;
    }
    // GS V m [n]: cut; m 0/48 full, 1/49 partial, 65/66 the same with a feed of n first.
    if (byte === 0x1d && at(i + 1) === 0x56) {
      const m = at(i + 2);
      cuts.push(m === 0 || m === 48 || m === 65 ? 'full' : 'partial');
      i += m === 65 || m === 66 ? 4 : 3;
      continue;
    }
    const command = COMMANDS.find((c) => c.prefix.every((p, k) => bytes[i + k] === p));
    if (command) {
      if (command.prefix[0] === 0x10) statusQueries.push(at(i + 2));
      else for (let k = 0; k < command.params; k += 1) at(i + command.prefix.length + k);
      i += command.prefix.length + command.params;
      continue;
    }
    if (byte < 0x20 || byte === 0x7f) {
      throw new Error(`unknown ESC/POS control byte 0x${byte.toString(16)} at ${i}`);
    }
    line += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte] ?? '?');
    i += 1;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return { lines, cuts, statusQueries };
}
