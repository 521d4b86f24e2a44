// Scanner and card reader health: the host's statuses, then every change it pushes.
import { useEffect, useState } from 'react';
import type { DeviceStatus } from '../../src-shared/ipc/index.js';
import { useTerminal } from './use-terminal.js';

export function useDevices(): DeviceStatus[] {
  const { api } = useTerminal();
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  useEffect(() => {
    let live = true;
    const upsert = (status: DeviceStatus) =>
      setDevices((list) => {
        const others = list.filter((d) => d.deviceId !== status.deviceId);
        return [...others, status].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
      });
    // Subscribe first, so a change between the question and the answer is not lost.
    const unsubscribe = api.onDeviceStatus(upsert);
    api.deviceStatuses().then(
      (list) => {
        // A status pushed meanwhile is newer than this answer: keep it.
        if (live)
          setDevices((known) => {
            const fresh = list.filter((d) => !known.some((k) => k.deviceId === d.deviceId));
            return [...known, ...fresh].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
          });
      },
      () => undefined, // the host did not answer: the pushed statuses will come
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  return devices;
}
