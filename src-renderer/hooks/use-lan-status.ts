// The store LAN as the status bar shows it (issue 16): whether it is on and how many of the store's other
// tills answer, from main (lanStatus, then every change it pushes). A host without these entries (an older
// one, a test's) is a till with the LAN off.
import { useEffect, useState } from 'react';
import type { TerminalApi } from '../../src-shared/ipc/index.js';
import { LAN_OFF, type LanStatus } from '../../src-shared/ipc/lan-api.js';
import { useTerminal } from './use-terminal.js';

export function useLanStatus(): LanStatus {
  const { api } = useTerminal();
  const [status, setStatus] = useState<LanStatus>(LAN_OFF);
  useEffect(() => {
    const lan: Partial<Pick<TerminalApi, 'lanStatus' | 'onLanStatus'>> = api;
    const { lanStatus, onLanStatus } = lan;
    if (!lanStatus || !onLanStatus) return;
    let live = true;
    let pushed = false;
    // Subscribe first, so a change between the question and the answer is not lost.
    const unsubscribe = onLanStatus.call(api, (next) => {
      pushed = true;
      if (live) setStatus(next);
    });
    lanStatus.call(api).then(
      (answer) => {
        // A status pushed meanwhile is newer than this answer: keep it.
        if (live && !pushed) setStatus(answer);
      },
      () => undefined, // the host did not answer: the pushed statuses will come
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  return status;
}
