// Scan events and device health as they cross from main to the renderer: zod schemas (the host validates
// what it forwards, the renderer what it receives); terminal-api.ts pairs them with their channels.
// A ScanEvent carries only the classified result: a payment card arrives as 'refused' with its last four,
// so no raw frame (and never a PAN) crosses this boundary.
import { z } from 'zod';
import { scanResultSchema } from '../scan/index.js';

/** A scanner, a card reader, or the receipt printer (which sends no scans, only its health). */
export const deviceRoleSchema = z.enum(['barcode', 'card', 'printer']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;
/** The roles that scan. */
export const scanRoleSchema = z.enum(['barcode', 'card']);

const isoTime = z.iso.datetime();

export const scanEventSchema = z
  .object({
    deviceId: z.string().min(1).max(64),
    role: scanRoleSchema,
    /** When the frame was complete, terminal clock, ISO 8601 UTC. */
    at: isoTime,
    result: scanResultSchema,
  })
  .strict();
export type ScanEvent = z.infer<typeof scanEventSchema>;

export const deviceStateSchema = z.enum(['connecting', 'connected', 'disconnected', 'error']);
export type DeviceState = z.infer<typeof deviceStateSchema>;

export const deviceStatusSchema = z
  .object({
    deviceId: z.string().min(1).max(64),
    role: deviceRoleSchema,
    /** The port in use or last used; null while a USB-matched device has not been found yet. */
    path: z.string().nullable(),
    /**
     * connecting: opening; disconnected: absent or unplugged (retrying); error: present but unusable (a
     * printer out of paper, with its cover open, offline or not answering its status: lastError says which).
     */
    state: deviceStateSchema,
    /** Last frame received, garbage included: proves bytes arrive (a printer: its last slip printed). */
    lastFrameAt: isoTime.nullable(),
    /** Frames received since start, garbage included (a printer: slips printed). */
    frames: z.int().nonnegative(),
    /** Of those, frames dropped as garbage (noise, overlong, cut by unplug, unterminated, unreadable). */
    rejected: z.int().nonnegative(),
    /** Open failures and port errors. */
    errors: z.int().nonnegative(),
    /** The last error or disconnect reason, in words; never frame content. */
    lastError: z.string().nullable(),
  })
  .strict();
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;
