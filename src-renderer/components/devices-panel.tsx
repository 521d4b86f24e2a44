// Scanner, card reader and receipt printer health, with the last frame time: "bytes arrive" is the first
// thing to check when a scan does nothing. For the printer: the last slip printed, and what stops it
// (out of paper, cover open, offline, not answering).
import { formatDateTimeSeconds } from '../hooks/format.js';
import { useDevices } from '../hooks/use-devices.js';
import { useProgram } from '../hooks/use-program.js';
import { useCounterText } from '../i18n/index.js';

export function DevicesPanel() {
  const devices = useDevices();
  const zone = useProgram()?.timeZone ?? null;
  const t = useCounterText();
  return (
    <section className="panel" aria-labelledby="devices-title">
      <h2 id="devices-title">{t('devices.title')}</h2>
      {devices.length === 0 ? (
        <p className="hint">{t('devices.none')}</p>
      ) : (
        <ul className="devices">
          {devices.map((d) => (
            <li
              key={d.deviceId}
              className={d.state === 'connected' ? 'device device-ok' : 'device device-bad'}
            >
              <span className="device-name">
                {t(`devices.roles.${d.role}`)} {d.deviceId}
                {d.path ? ` (${d.path})` : ''}
              </span>
              <span className="device-state">{t(`devices.states.${d.state}`)}</span>
              <span className="device-detail">
                {t(d.role === 'printer' ? 'devices.lastSlip' : 'devices.lastFrame', {
                  when: d.lastFrameAt
                    ? formatDateTimeSeconds(Date.parse(d.lastFrameAt), zone)
                    : t('devices.noneYet'),
                })}{' '}
                ·{' '}
                {d.role === 'printer'
                  ? t('devices.slipsPrinted', { count: d.frames })
                  : t('devices.frames', { frames: d.frames, rejected: d.rejected })}
                {d.lastError ? ` · ${d.lastError}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
