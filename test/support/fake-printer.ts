// An ESC/POS receipt printer at the far end of a socat pair, for tests: it answers the till's DLE EOT status
// queries as its paper says (or stays silent, like a printer switched off) and keeps every byte it
// receives, so a test decodes the slips it was sent (test/support/escpos.ts). Used by the printer's socat
// test and by the end-to-end counter (test/support/counter.ts, `printer: true`).
import { SerialPort } from 'serialport';
import { decodeEscPos, type DecodedPrint } from './escpos.js';

export class FakePrinter {
  paper: 'ok' | 'out' = 'ok';
  /** Stays silent on status queries (switched off, wrong baud rate). */
  silent = false;
  received: number[] = [];
  private scanned = 0;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** Resolves once what was received satisfies `predicate` (now or later). */
  until(predicate: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (predicate()) resolve();
      else this.waiters.push({ predicate, resolve });
    });
  }

  /** Everything received so far, decoded. */
  decoded(): DecodedPrint {
    return decodeEscPos(Uint8Array.from(this.received));
  }

  cuts(): number {
    return this.decoded().cuts.length;
  }

  /** Closes the far end's port. */
  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }

  private onData(chunk: Buffer): void {
    this.received.push(...chunk);
    // DLE EOT n, answered as an Epson TM answers it: fixed bits 0x12, plus offline (n=1 bit 3), stopped at
    // paper end (n=2 bit 5), paper end sensor (n=4 bits 5–6).
    while (this.scanned + 2 < this.received.length) {
      const i = this.scanned;
      if (this.received[i] === 0x10 && this.received[i + 1] === 0x04) {
        const n = this.received[i + 2] ?? 0;
        const out = this.paper === 'out';
        const answer = n === 1 ? (out ? 0x1a : 0x12) : n === 2 ? (out ? 0x32 : 0x12) : out ? 0x72 : 0x12;
        if (!this.silent) this.port.write(Buffer.of(answer));
        this.scanned += 3;
      } else this.scanned += 1;
    }
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** Opens the far end of a pair at `path` as a printer (on before the till opens its end). */
export function openFakePrinter(path: string, baudRate = 19200): Promise<FakePrinter> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.on('error', () => undefined);
    port.open((error) => (error ? reject(error) : resolve(new FakePrinter(port))));
  });
}
