// Scanner, card reader and receipt printer health, with the last frame time: "bytes arrive" is the first
// thing to check when a scan does nothing. For the printer: the last slip printed, and what stops it
// (out of paper, cover open, offline, not answering).
import { formatDateTimeSeconds } from '../hooks/format.js';
import { useDevices } from '../hooks/use-devices.js';
import { useProgram } from '../hooks/use-program.js';

const ROLE_WORDS = { barcode: 'Scanner', card: 'Card reader', printer: 'Receipt printer' } as const;

const STATE_WORDS = {
  connecting: 'Connecting',
  connected: 'Connected',
  disconnected: 'Disconnected',
  error: 'Error',
} as const;

export function DevicesPanel() {
  const devices = useDevices();
  const zone = useProgram()?.timeZone ?? null;
  return (
    <section className="panel" aria-labelledby="devices-title">
      <h2 id="devices-title">Devices</h2>
      {devices.length === 0 ? (
        <p className="hint">
          No serial scanner, card reader or receipt printer is configured. Keyboard scanners work without
          setup.
        </p>
      ) : (
        <ul className="devices">
          {devices.map((d) => (
            <li
              key={d.deviceId}
              className={d.state === 'connected' ? 'device device-ok' : 'device device-bad'}
            >
              <span className="device-name">
                {ROLE_WORDS[d.role]} {d.deviceId}
                {d.path ? ` (${d.path})` : ''}
              </span>
              <span className="device-state">{STATE_WORDS[d.state]}</span>
              <span className="device-detail">
                {d.role === 'printer' ? 'Last slip: ' : 'Last frame: '}
                {d.lastFrameAt ? formatDateTimeSeconds(Date.parse(d.lastFrameAt), zone) : 'none yet'} ·{' '}
                {d.role === 'printer'
                  ? `${d.frames} ${d.frames === 1 ? 'slip' : 'slips'} printed`
                  : `${d.frames} frames, ${d.rejected} unreadable`}
                {d.lastError ? ` · ${d.lastError}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
