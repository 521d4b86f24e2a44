// Downloads a segment's CSV export. The export is a POST (it is audited: it hands out personal data), so a
// plain link cannot fetch it: the page asks for the session's CSRF token, posts the filter, and saves the
// answer under the file name HQ gave in its Content-Disposition.
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { CSRF_HEADER } from '../../../src-shared/console/endpoint.js';
import type { BodyOf } from '../../../src-shared/console/endpoint.js';
import { callConsole, ConsoleApiError } from '../../api/client.js';

type ExportBody = BodyOf<typeof CONSOLE_API.exportSegment>;

/** Posts the export and saves the file; answers the file name, or throws HQ's refusal. */
export async function downloadSegmentCsv(body: ExportBody): Promise<string> {
  const { csrfToken } = await callConsole(CONSOLE_API.session);
  const response = await fetch(CONSOLE_API.exportSegment.path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'text/csv', [CSRF_HEADER]: csrfToken },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const refusal = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ConsoleApiError(
      response.status,
      refusal.error ?? 'error',
      refusal.message ?? `HQ answered ${response.status}.`,
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 're-engagement.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the link; the blob can go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
