// ESC/POS for the receipt printer: a slip encoded with @point-of-sale/receipt-printer-encoder (text, styles,
// code pages, the cut), and the real-time status queries the encoder does not cover (DLE EOT n, from the
// Epson ESC/POS reference, answered by Epson TM, Star in ESC/POS mode, Bixolon, Citizen and most clones).
// Main only: the renderer never bundles the encoder (docs/decisions.md, "Receipt printing").
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { layoutSlip, type Slip } from '../../src-shared/receipt/slip.js';

/** The slip as the bytes a printer of `columns` characters prints and cuts. */
export function encodeSlip(slip: Slip, columns: number): Uint8Array {
  const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, feedBeforeCut: 4 });
  encoder.initialize();
  for (const line of layoutSlip(slip, columns)) {
    encoder.align(line.align).bold(line.bold);
    if (line.large) encoder.size(2, 2);
    encoder.line(line.text);
    if (line.large) encoder.size(1, 1);
  }
  encoder.bold(false).align('left');
  return encoder.cut('partial').encode();
}

const DLE = 0x10;
const EOT = 0x04;

/** DLE EOT n: 1 printer status, 2 offline cause, 4 roll paper sensor. */
export type StatusRequest = 1 | 2 | 4;
export const statusQuery = (n: StatusRequest): Uint8Array => Uint8Array.of(DLE, EOT, n);

/**
 * Whether a byte from the printer is a DLE EOT answer: bit 0 is 0, bits 1 and 4 are 1, bit 7 is 0 (the
 * fixed bits of every answer), which XON/XOFF and noise do not have.
 */
export const isStatusByte = (byte: number): boolean => (byte & 0x93) === 0x12;

/** What the status answers mean together. */
export type PrinterCondition =
  | { kind: 'ok'; paperLow: boolean }
  | { kind: 'paper-out' }
  | { kind: 'cover-open' }
  | { kind: 'offline' }
  | { kind: 'not-answering' };

/**
 * Reads the answers to DLE EOT 1, 4 and (when offline) 2. `ask` sends one query and resolves with the
 * answer byte, or null when none came in time.
 */
export async function readCondition(
  ask: (n: StatusRequest) => Promise<number | null>,
): Promise<PrinterCondition> {
  const printer = await ask(1);
  if (printer === null) return { kind: 'not-answering' };
  const paper = await ask(4);
  if (paper === null) return { kind: 'not-answering' };
  // n=4 bits 5–6: the roll paper end sensor; bits 2–3: near its end.
  if ((paper & 0x60) !== 0) return { kind: 'paper-out' };
  // n=1 bit 3: offline. Why, says n=2: bit 2 cover open, bit 5 stopped at paper end.
  if ((printer & 0x08) !== 0) {
    const cause = await ask(2);
    if (cause !== null && (cause & 0x20) !== 0) return { kind: 'paper-out' };
    if (cause !== null && (cause & 0x04) !== 0) return { kind: 'cover-open' };
    return { kind: 'offline' };
  }
  return { kind: 'ok', paperLow: (paper & 0x0c) !== 0 };
}
