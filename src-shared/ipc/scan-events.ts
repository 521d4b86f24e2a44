// Scan events and device health as they cross from main to the renderer: zod schemas (the host validates
// what it forwards, the renderer what it receives); terminal-api.ts pairs them with their channels.
// A ScanEvent carries only the classified result: a payment card arrives as 'refused' with its last four,
// so no raw frame (and never a PAN) crosses this boundary.
import { z } from 'zod';
import { scanResultSchema } from '../scan/index.js';

export const deviceRoleSchema = z.enum(['barcode', 'card']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;

const isoTime = z.iso.datetime();

export const scanEventSchema = z
  .object({
    deviceId: z.string().min(1).max(64),
    role: deviceRoleSchema,
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
    /** connecting: opening; disconnected: absent or unplugged (retrying); error: present but unusable. */
    state: deviceStateSchema,
    /** Last frame received, garbage included: proves bytes arrive. */
    lastFrameAt: isoTime.nullable(),
    /** Frames received since start, garbage included. */
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
