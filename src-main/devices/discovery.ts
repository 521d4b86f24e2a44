// Finding a scanner by USB ids through the binding's port list, so a terminal config can say "the
// Honeywell scanner" instead of a /dev path that changes with the USB socket it is plugged into.
import { realpathSync } from 'node:fs';
import { KNOWN_VENDORS, type DeviceConfig, type DeviceRole } from './config.js';
import type { PortInfo, SerialBinding } from './binding.js';

type UsbMatch = NonNullable<DeviceConfig['usb']>;

const lower = (s: string | undefined): string | undefined => s?.toLowerCase().replace(/^0x/, '');

/** Whether a listed port matches a device's USB rule (no vendor id: any known vendor for the role). */
export function matchesUsb(port: PortInfo, usb: UsbMatch, role: DeviceRole | 'printer'): boolean {
  const vendorId = lower(port.vendorId);
  const productId = lower(port.productId);
  if (vendorId === undefined) return false;
  if (usb.vendorId === undefined) {
    if (!KNOWN_VENDORS.some((v) => v.vendorId === vendorId && v.role === role)) return false;
  } else if (usb.vendorId !== vendorId) return false;
  if (usb.productId !== undefined && usb.productId !== productId) return false;
  if (usb.serialNumber !== undefined && usb.serialNumber !== port.serialNumber) return false;
  return true;
}

/** A listed port made by a known scanner or card reader vendor. */
export interface ScannerPort {
  path: string;
  vendorId: string;
  productId: string | null;
  serialNumber: string | null;
  vendor: string;
  role: DeviceRole;
}

/** Ports whose USB vendor id is a known scanner or card reader maker (for setup screens and docs). */
export async function listScannerPorts(binding: SerialBinding): Promise<ScannerPort[]> {
  const ports = await binding.list();
  const found: ScannerPort[] = [];
  for (const port of ports) {
    const vendorId = lower(port.vendorId);
    const known = KNOWN_VENDORS.find((v) => v.vendorId === vendorId);
    if (!known || vendorId === undefined) continue;
    found.push({
      path: port.path,
      vendorId,
      productId: lower(port.productId) ?? null,
      serialNumber: port.serialNumber ?? null,
      vendor: known.name,
      role: known.role,
    });
  }
  return found;
}

/** Canonical form of a path, so `/dev/serial/by-id/…` and `/dev/ttyACM0` are recognised as one port. */
export function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Which device holds which port, so two USB-matched devices never take the same one. */
export class PortClaims {
  private readonly owners = new Map<string, string>();

  /** A device holds one port at a time: claiming a new one lets go of the old. */
  claim(path: string, deviceId: string): void {
    this.release(deviceId);
    this.owners.set(canonicalPath(path), deviceId);
  }

  release(deviceId: string): void {
    for (const [path, owner] of this.owners) if (owner === deviceId) this.owners.delete(path);
  }

  heldByOther(path: string, deviceId: string): boolean {
    const owner = this.owners.get(canonicalPath(path));
    return owner !== undefined && owner !== deviceId;
  }
}

/**
 * The first listed port matching the device's USB rule and not held by another device, or null. The port
 * is claimed for the device before this returns, so devices discovering at the same time never share one.
 */
export async function findUsbPort(
  binding: SerialBinding,
  config: { id: string; role: DeviceRole | 'printer'; usb?: UsbMatch | undefined },
  claims: PortClaims,
): Promise<string | null> {
  if (config.usb === undefined) return null;
  const usb = config.usb;
  const ports = await binding.list();
  const port = ports
    .filter((p) => matchesUsb(p, usb, config.role))
    .sort((a, b) => a.path.localeCompare(b.path))
    .find((p) => !claims.heldByOther(p.path, config.id));
  if (port === undefined) return null;
  claims.claim(port.path, config.id);
  return port.path;
}
