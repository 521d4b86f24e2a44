// `npm run scanner -- …`: a scanner and card reader simulator for a counter without hardware. Writes
// barcodes, card swipes, NFC UIDs, raw bytes or noise to a serial port, as a real device would; `--pair`
// makes the serial cable too (a socat pty pair), prints both ends and takes further commands on stdin.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { z } from 'zod';
import { BAUD_RATES } from '../src-main/devices/config.js';
import { createSocatPair, type SocatPair } from './socat.js';

const GS = '\x1d';

/** A test card from the card networks' published test numbers: Luhn-valid, never a real account. */
export const TEST_PAN = '4111111111111111';

/** What each command writes (before the suffix), as latin1 text: one char per byte. */
export const payloads = {
  /** EAN-13 (check digit included); `]E0` first when the scanner sends AIM ids. */
  ean13: (digits = '4006381333931', aim = false): string => `${aim ? ']E0' : ''}${digits}`,
  /**
   * A GS1-128 element string, `]C1` first (how a serial scanner says "FNC1 first"); `|` stands for GS.
   * Default: (01) GTIN 09501101531000, (17) expiry 2026-12-31, (10) batch ABC123 (variable: GS follows),
   * (21) serial XYZ9.
   */
  gs1: (elements = '01' + '09501101531000' + '17' + '261231' + '10' + 'ABC123|' + '21' + 'XYZ9'): string =>
    `]C1${elements.replaceAll('|', GS)}`,
  /** A loyalty card swipe: track 2 with a private card number (no payment IIN, no Luhn promise). */
  loyalty: (cardNumber = '0412345678901', expiry = '4912'): string => `;${cardNumber}=${expiry}?`,
  /** A payment card swiped by mistake: tracks 1 and 2 of the test PAN, as one frame. */
  payment: (pan = TEST_PAN): string =>
    `%B${pan}^TEST/CARD^30121010000000000000?;${pan}=30121010000000000000?`,
  /** An NFC reader in serial mode sends the UID in hex (4, 7 or 10 bytes). */
  nfc: (uid = '04A224B2C81C80'): string => uid.toUpperCase(),
  /** Bytes given in hex, written as they are. */
  raw: (hex: string): string => Buffer.from(hex, 'hex').toString('latin1'),
  /** Random bytes: what a scanner at the wrong baud rate looks like. */
  noise: (count = 256): string => randomBytes(count).toString('latin1'),
  text: (text: string): string => text,
} as const;

export const SUFFIXES = { CR: '\r', LF: '\n', CRLF: '\r\n', ETX: '\x03', none: '' } as const;

const commandSchema = z.discriminatedUnion('what', [
  z.object({
    what: z.literal('ean13'),
    value: z
      .string()
      .regex(/^\d{13}$/, 'expected 13 digits')
      .optional(),
  }),
  z.object({
    what: z.literal('gs1'),
    value: z
      .string()
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII, | for GS')
      .optional(),
  }),
  z.object({
    what: z.literal('loyalty'),
    value: z
      .string()
      .regex(/^\d{6,19}$/, 'expected 6–19 digits')
      .optional(),
  }),
  z.object({ what: z.literal('payment'), value: z.undefined() }),
  z.object({
    what: z.literal('nfc'),
    value: z
      .string()
      .regex(/^([0-9a-fA-F]{8}|[0-9a-fA-F]{14}|[0-9a-fA-F]{20})$/, 'expected 4, 7 or 10 bytes in hex')
      .optional(),
  }),
  z.object({
    what: z.literal('raw'),
    value: z.string().regex(/^([0-9a-fA-F]{2})+$/, 'expected bytes in hex, e.g. 02414203'),
  }),
  z.object({
    what: z.literal('noise'),
    value: z.coerce
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .optional(),
  }),
  z.object({ what: z.literal('text'), value: z.string().min(1) }),
]);
type Command = z.infer<typeof commandSchema>;

const optionsSchema = z
  .object({
    path: z.string().min(1).optional(),
    pair: z.boolean().default(false),
    dir: z.string().min(1).optional(),
    baud: z.coerce
      .number()
      .refine(
        (b) => (BAUD_RATES as readonly number[]).includes(b),
        `expected one of ${BAUD_RATES.join(', ')}`,
      )
      .default(9600),
    suffix: z.enum(['CR', 'LF', 'CRLF', 'ETX', 'none']).default('CR'),
    aim: z.boolean().default(false),
    repeat: z.coerce.number().int().min(1).max(100_000).default(1),
    interval: z.coerce.number().int().min(0).max(60_000).default(200),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.path === undefined && !o.pair)
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'give --path or --pair' });
    if (o.path !== undefined && o.pair)
      ctx.addIssue({ code: 'custom', path: ['pair'], message: '--path or --pair, not both' });
  });
type Options = z.infer<typeof optionsSchema>;

export const HELP = `Scanner and card reader simulator

  npm run scanner -- --path <port> [options] <what> [value]
  npm run scanner -- --pair [options] [<what> [value]]

what:
  ean13 [13 digits]       EAN-13 barcode (default 4006381333931; --aim adds ]E0)
  gs1 [elements]          GS1-128 element string with ]C1, | for GS (default: GTIN, expiry, batch, serial)
  loyalty [digits]        loyalty card swipe, track 2 (default 0412345678901)
  payment                 a payment card swiped by mistake: tracks 1+2 of test PAN ${TEST_PAN}
  nfc [hex uid]           NFC card UID (default 04A224B2C81C80)
  raw <hex>               these bytes, e.g. 02343030360d
  noise [count]           random bytes (default 256), like a scanner at the wrong baud rate
  text <text>             any text

options:
  --path <port>           the serial port to write (the other end of the terminal's port)
  --pair                  make a socat pty pair, print both ends, keep running and read commands from stdin
  --dir <dir>             where --pair puts its links (default: a new temp dir)
  --baud <rate>           1200 … 115200 (default 9600)
  --suffix <s>            CR, LF, CRLF, ETX or none (default CR)
  --aim                   send AIM symbology ids with EAN-13
  --repeat <n>            send n times (default 1)
  --interval <ms>         between repeats (default 200)
  --help                  this text
`;

/** Bytes for one command: the payload then the suffix. */
export function frameFor(command: Command, options: Pick<Options, 'aim' | 'suffix'>): Buffer {
  let text: string;
  switch (command.what) {
    case 'ean13':
      text = payloads.ean13(command.value, options.aim);
      break;
    case 'gs1':
      text = payloads.gs1(command.value);
      break;
    case 'loyalty':
      text = payloads.loyalty(command.value);
      break;
    case 'payment':
      text = payloads.payment();
      break;
    case 'nfc':
      text = payloads.nfc(command.value);
      break;
    case 'raw':
      return Buffer.from(command.value, 'hex');
    case 'noise':
      return Buffer.from(payloads.noise(command.value), 'latin1');
    case 'text':
      text = command.value;
      break;
  }
  return Buffer.from(text + SUFFIXES[options.suffix], 'latin1');
}

const problemsText = (error: z.ZodError, prefix = ''): string =>
  error.issues.map((i) => `  ${prefix}${i.path.join('.') || '(arguments)'}: ${i.message}`).join('\n');

function parseCommand(
  words: readonly string[],
): { ok: true; command: Command } | { ok: false; message: string } {
  const [what, ...rest] = words;
  if (what === undefined) return { ok: false, message: '  what to send is missing (see --help)' };
  const parsed = commandSchema.safeParse({ what, value: rest.length > 0 ? rest.join(' ') : undefined });
  return parsed.success
    ? { ok: true, command: parsed.data }
    : { ok: false, message: problemsText(parsed.error) };
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.on('error', (error) => console.error(`port error: ${error.message}`));
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

function writeFrame(port: SerialPort, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(bytes, (error) => {
      if (error) reject(error);
      else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
    });
  });
}

async function send(port: SerialPort, command: Command, options: Options): Promise<void> {
  for (let i = 0; i < options.repeat; i += 1) {
    if (i > 0 && options.interval > 0) await new Promise((r) => setTimeout(r, options.interval));
    const bytes = frameFor(command, options);
    await writeFrame(port, bytes);
    // Say what was sent, never the PAN itself.
    console.log(`sent ${command.what} (${bytes.length} bytes)`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        path: { type: 'string' },
        pair: { type: 'boolean' },
        dir: { type: 'string' },
        baud: { type: 'string' },
        suffix: { type: 'string' },
        aim: { type: 'boolean' },
        repeat: { type: 'string' },
        interval: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { help, ...values } = parsedArgs.values;
  if (help) {
    console.log(HELP);
    return 0;
  }
  const parsedOptions = optionsSchema.safeParse(values);
  if (!parsedOptions.success) {
    console.error(`Invalid arguments:\n${problemsText(parsedOptions.error, '--')}\n\nSee --help.`);
    return 2;
  }
  const options = parsedOptions.data;
  let first: Command | null = null;
  if (parsedArgs.positionals.length > 0 || !options.pair) {
    const parsed = parseCommand(parsedArgs.positionals);
    if (!parsed.ok) {
      console.error(`Invalid command:\n${parsed.message}\n\nSee --help.`);
      return 2;
    }
    first = parsed.command;
  }

  if (!options.pair) {
    const port = await openPort(options.path ?? '', options.baud);
    try {
      if (first) await send(port, first, options);
    } finally {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    return 0;
  }

  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'scanner-'));
  const pair: SocatPair = await createSocatPair(dir, { names: ['terminal', 'scanner'] });
  console.log(`terminal side (configure this as the device path): ${pair.a}`);
  console.log(`scanner side (this simulator writes here):          ${pair.b}`);
  const port = await openPort(pair.b, options.baud);
  const stop = async (): Promise<void> => {
    await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
    await pair.kill();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  if (first) await send(port, first, options);
  console.log('type a command (e.g. "ean13", "payment", "noise 1000"), or "quit"');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) continue;
    if (words[0] === 'quit' || words[0] === 'exit') break;
    const parsed = parseCommand(words);
    if (!parsed.ok) {
      console.error(parsed.message);
      continue;
    }
    try {
      await send(port, parsed.command, options);
    } catch (error) {
      console.error(`write failed: ${(error as Error).message}`);
    }
  }
  await stop();
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
