// The kiosk's security settings in one place (docs/architecture.md section 3), so tests can check them and the
// window, the scheme handler and the session all use the same values.

/** The renderer's content security policy: no eval, no inline scripts, no frames, no remote origins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The custom scheme the renderer loads from; IndexedDB data is tied to this origin, so it never changes. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://terminal`;

export const secureWebPreferences = (preload: string) =>
  ({
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  }) as const;
