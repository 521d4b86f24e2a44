// The cashier UI's root. For now a start page naming the host; the screens arrive with the cashier-app issue.
import { useEffect, useState } from 'react';
import type { HostInfo } from '../src-shared/ipc/index.js';
import { terminalApi } from './terminal.js';

export function App() {
  const [host, setHost] = useState<HostInfo | null>(null);
  useEffect(() => {
    void terminalApi()?.hostInfo().then(setHost);
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Loyalty Terminal</h1>
      <p>
        {host
          ? `Running in the ${host.host} host, version ${host.version}.`
          : 'Waiting for the terminal host…'}
      </p>
    </main>
  );
}
