// Scanner and card reader health, with the last frame time: "bytes arrive" is the first thing to check
// when a scan does nothing.
import { formatDateTimeSeconds } from '../hooks/format.js';
import { useDevices } from '../hooks/use-devices.js';
import { useProgram } from '../hooks/use-program.js';

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
          No serial scanner or card reader is configured. Keyboard scanners work without setup.
        </p>
      ) : (
        <ul className="devices">
          {devices.map((d) => (
            <li
              key={d.deviceId}
              className={d.state === 'connected' ? 'device device-ok' : 'device device-bad'}
            >
              <span className="device-name">
                {d.role === 'barcode' ? 'Scanner' : 'Card reader'} {d.deviceId}
                {d.path ? ` (${d.path})` : ''}
              </span>
              <span className="device-state">{STATE_WORDS[d.state]}</span>
              <span className="device-detail">
                Last frame:{' '}
                {d.lastFrameAt ? formatDateTimeSeconds(Date.parse(d.lastFrameAt), zone) : 'none yet'} ·{' '}
                {d.frames} frames, {d.rejected} unreadable
                {d.lastError ? ` · ${d.lastError}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
