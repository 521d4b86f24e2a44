// Reading an endpoint from a component: calls it when the component mounts and again whenever `deps`
// change, keeps the last answer while a new one loads, and drops answers that arrive after a newer call
// (typing in a filter fires many). `reload()` calls again with the same input (after a write).
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { AnyEndpoint, ResponseOf } from '../../src-shared/console/endpoint.js';
import { callConsole, ConsoleApiError, type CallInput } from '../api/client.js';

export interface ConsoleQuery<T> {
  /** The last answer (kept while a newer call loads); null before the first. */
  data: T | null;
  /** The last call's refusal or failure; null when it answered. */
  error: ConsoleApiError | null;
  loading: boolean;
  reload: () => void;
}

const asApiError = (error: unknown): ConsoleApiError =>
  error instanceof ConsoleApiError
    ? error
    : new ConsoleApiError(0, 'error', error instanceof Error ? error.message : 'Something went wrong.');

export function useConsoleQuery<E extends AnyEndpoint>(
  endpoint: E,
  input: CallInput<E>,
  deps: DependencyList,
): ConsoleQuery<ResponseOf<E>> {
  const [data, setData] = useState<ResponseOf<E> | null>(null);
  const [error, setError] = useState<ConsoleApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  // The input as of the last render: deps say when it changed (an object literal is new every render).
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    callConsole(endpoint, inputRef.current).then(
      (answer) => {
        if (call !== latest.current) return;
        setData(answer);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (call !== latest.current) return;
        setError(asApiError(failure));
        setLoading(false);
      },
    );
    return () => {
      // Unmounted or superseded: an answer still on its way is dropped.
      if (latest.current === call) latest.current++;
    };
    // The caller's deps say when the input changed (not the input object, new on every render).
  }, [endpoint, round, ...deps]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}
