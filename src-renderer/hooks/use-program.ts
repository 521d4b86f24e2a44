// The current loyalty program (null until HQ sent one).
import type { Program } from '../../src-shared/program/schema.js';
import { useObservable } from './use-observable.js';
import { useTerminal } from './use-terminal.js';

export function useProgram(): Program | null {
  const { terminal } = useTerminal();
  return useObservable(terminal.services.program$, () => terminal.services.currentProgram());
}
