// A write from a form or a button: `run` calls the endpoint and answers its result, or null when HQ
// refused (then `error` holds HQ's words and `problems` its problems by field, for the form to show).
// `busy` is true while it runs, so the form can wait instead of sending twice.
import { useCallback, useState } from 'react';
import type { AnyEndpoint, ResponseOf } from '../../src-shared/console/endpoint.js';
import { callConsole, ConsoleApiError, type CallInput } from '../api/client.js';
import { problemsByField } from './field.js';

export interface ConsoleWrite {
  run: <E extends AnyEndpoint>(endpoint: E, input: CallInput<E>) => Promise<ResponseOf<E> | null>;
  busy: boolean;
  error: string | null;
  problems: Record<string, string>;
  reset: () => void;
}

export function useConsoleWrite(): ConsoleWrite {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});

  const run = useCallback(async <E extends AnyEndpoint>(endpoint: E, input: CallInput<E>) => {
    setBusy(true);
    setError(null);
    setProblems({});
    try {
      return await callConsole(endpoint, input);
    } catch (failure) {
      const apiError = failure instanceof ConsoleApiError ? failure : null;
      setError(apiError?.message ?? 'HQ could not do this. Try again.');
      setProblems(problemsByField(apiError?.problems ?? []));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);

  const reset = useCallback(() => {
    setError(null);
    setProblems({});
  }, []);

  return { run, busy, error, problems, reset };
}
