// Serial device configuration (scanners, card readers, receipt printers), validated before any port is touched: a terminal's config file is
// untrusted input, and a typo in a baud rate or a suffix must be reported by path, not found at the counter.
import { z } from 'zod';
import { formatProblems, parseWith, type Problem } from '../../src-shared/kernel/problems.js';
import type { Result } from '../../src-shared/kernel/result.js';
import { MAX_FRAME_LENGTH } from '../../src-shared/scan/index.js';

/** A configuration problem: dotted path into the devices array (e.g. `1.framing.suffix`) and what is wrong. */
export type ConfigProblem = Problem;

/** Baud rates scanners and card readers actually offer; anything else is almost certainly a typo. */
export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** Frame terminators a scanner can be set to append, as bytes. */
export const SUFFIX_BYTES = {
  CR: [0x0d],
  LF: [0x0a],
  CRLF: [0x0d, 0x0a],
  ETX: [0x03],
} as const satisfies Record<string, readonly number[]>;
export type Suffix = keyof typeof SUFFIX_BYTES;

/**
 * USB vendor ids of scanner and card reader makers, as `SerialPort.list()` reports them (lower-case hex
 * without 0x), with the role their devices usually have. Used when a device is matched by USB without a
 * vendor id.
 */
export const KNOWN_VENDORS = [
  { vendorId: '0c2e', name: 'Honeywell / Metrologic', role: 'barcode' },
  { vendorId: '05e0', name: 'Zebra / Symbol', role: 'barcode' },
  { vendorId: '05f9', name: 'Datalogic', role: 'barcode' },
  { vendorId: '0801', name: 'Magtek', role: 'card' },
  { vendorId: '0acd', name: 'ID TECH', role: 'card' },
] as const;

const hex4 = z
  .string()
  .regex(/^[0-9a-f]{4}$/, 'expected four lower-case hex digits without 0x, as SerialPort.list() shows them');

const usbMatchSchema = z
  .object({
    /** Omitted: any known scanner vendor for the device's role (see KNOWN_VENDORS). */
    vendorId: hex4.optional(),
    productId: hex4.optional(),
    /** Tells two identical readers apart. */
    serialNumber: z.string().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((usb, ctx) => {
    if (usb.productId !== undefined && usb.vendorId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['productId'], message: 'a productId needs a vendorId' });
    }
  });

const framingSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('suffix'),
      suffix: z.enum(['CR', 'LF', 'CRLF', 'ETX']),
      /** An unterminated partial frame idle this long is dropped as 'no-terminator' (wrong suffix set?). */
      partialTimeoutMs: z.int().min(20).max(60_000).default(1000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('timeout'),
      /** A frame ends when no byte arrived for this long. */
      interByteTimeoutMs: z.int().min(2).max(5000),
    })
    .strict(),
]);
export type Framing = z.infer<typeof framingSchema>;

export const deviceConfigSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,31}$/,
        'expected 1–32 lower-case letters, digits or dashes (e.g. scanner-1)',
      ),
    role: z.enum(['barcode', 'card']),
    /** A fixed device path (`/dev/ttyACM0`, `/dev/serial/by-id/…`, a socat link). */
    path: z.string().min(1).max(4096).optional(),
    /** Or: find the port through `SerialPort.list()` by USB ids. */
    usb: usbMatchSchema.optional(),
    baudRate: z
      .number()
      .refine((b) => (BAUD_RATES as readonly number[]).includes(b), {
        message: `expected one of ${BAUD_RATES.join(', ')}`,
      })
      .default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    framing: framingSchema.default({ kind: 'suffix', suffix: 'CR', partialTimeoutMs: 1000 }),
    /** Removed from the start / end of each frame when present (e.g. a reader's STX or a `;` sentinel). */
    stripPrefix: z.string().max(16).default(''),
    stripSuffix: z.string().max(16).default(''),
    /**
     * Longest accepted frame in bytes, terminator excluded; longer ones are rejected as 'too-long'.
     * At most the classifier's MAX_FRAME_LENGTH (a longer frame could never be a valid scan).
     */
    maxFrameLength: z.int().min(16).max(MAX_FRAME_LENGTH).default(MAX_FRAME_LENGTH),
  })
  .strict()
  .superRefine((device, ctx) => {
    if (device.path === undefined && device.usb === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'set either path or usb' });
    }
    if (device.path !== undefined && device.usb !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['usb'], message: 'set path or usb, not both' });
    }
  });

export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;
export type DeviceRole = DeviceConfig['role'];

/** Paper widths in characters of the normal font: 58 mm rolls hold 32, 80 mm rolls 42 (Epson) or 48. */
export const PRINTER_COLUMNS = [32, 42, 48] as const;

/**
 * An ESC/POS receipt printer on a serial port (docs/hardware.md, "Receipt printer"): the same port and line
 * settings as a scanner, no framing (it sends nothing but status answers).
 */
export const printerConfigSchema = z
  .object({
    id: deviceConfigSchema.shape.id,
    role: z.literal('printer'),
    path: deviceConfigSchema.shape.path,
    usb: usbMatchSchema.optional(),
    baudRate: deviceConfigSchema.shape.baudRate,
    dataBits: deviceConfigSchema.shape.dataBits,
    parity: deviceConfigSchema.shape.parity,
    stopBits: deviceConfigSchema.shape.stopBits,
    columns: z
      .number()
      .refine((c) => (PRINTER_COLUMNS as readonly number[]).includes(c), {
        message: `expected one of ${PRINTER_COLUMNS.join(', ')}`,
      })
      .default(42),
    /**
     * Ask the printer's real-time status (DLE EOT) before each slip and while idle. Off only for a printer
     * that does not answer it: then paper-out is not seen, and a slip may be lost.
     */
    statusQuery: z.boolean().default(true),
    /** How long to wait for one status answer before calling the printer "not answering". */
    statusTimeoutMs: z.int().min(50).max(5000).default(500),
    /** How often the status is asked while idle, so the status bar shows paper-out before a sale. */
    statusIntervalMs: z.int().min(1000).max(600_000).default(15_000),
  })
  .strict()
  .superRefine((device, ctx) => {
    if (device.path === undefined && device.usb === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'set either path or usb' });
    }
    if (device.path !== undefined && device.usb !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['usb'], message: 'set path or usb, not both' });
    }
    // No printer maker is in KNOWN_VENDORS: a USB-matched printer names its own.
    if (device.usb !== undefined && device.usb.vendorId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['usb', 'vendorId'], message: 'a printer needs its vendorId' });
    }
  });
export type PrinterConfig = z.output<typeof printerConfigSchema>;

/** A scanner, card reader or printer; which one is decided by `role`. */
export type AnyDeviceConfig = DeviceConfig | PrinterConfig;

const isPrinterInput = (input: unknown): boolean =>
  typeof input === 'object' && input !== null && (input as { role?: unknown }).role === 'printer';

/**
 * One device of any role. Dispatched on `role` by hand rather than with a union, so a scanner with a
 * mistyped role still has every other problem listed by path.
 */
export const anyDeviceConfigSchema = z.unknown().transform((input, ctx): AnyDeviceConfig => {
  const parsed = isPrinterInput(input)
    ? printerConfigSchema.safeParse(input)
    : deviceConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: issue.input });
  return z.NEVER;
});

export const devicesConfigSchema = z
  .array(anyDeviceConfigSchema)
  .max(16)
  .superRefine((devices, ctx) => {
    const ids = new Set<string>();
    const paths = new Set<string>();
    devices.forEach((device, index) => {
      if (ids.has(device.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate device id "${device.id}"` });
      }
      ids.add(device.id);
      if (device.path !== undefined) {
        if (paths.has(device.path)) {
          ctx.addIssue({ code: 'custom', path: [index, 'path'], message: 'two devices on the same path' });
        }
        paths.add(device.path);
      }
    });
  });

/** Validates one device; every problem is listed with its path. */
export function parseDeviceConfig(input: unknown): Result<DeviceConfig, ConfigProblem[]> {
  return parseWith(deviceConfigSchema, input);
}

/** Validates the terminal's `devices` array; paths start with the device's index (`0.baudRate`). */
export function parseDeviceConfigs(input: unknown): Result<AnyDeviceConfig[], ConfigProblem[]> {
  return parseWith(devicesConfigSchema, input);
}

export const formatConfigProblems = (problems: readonly ConfigProblem[]): string =>
  formatProblems(problems, '(devices)');
