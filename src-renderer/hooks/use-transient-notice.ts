// A short-lived notice (a misread scan): shown for a few seconds, then gone, never in the way.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useTransientNotice(ms = 5000): [string | null, (text: string | null) => void] {
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  const show = useCallback(
    (text: string | null) => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      setNotice(text);
      if (text !== null) timer.current = window.setTimeout(() => setNotice(null), ms);
    },
    [ms],
  );
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );
  return [notice, show];
}
