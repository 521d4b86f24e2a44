// A pair of connected pseudo-terminals made by socat, standing in for a serial cable: the code under test
// opens one end like real hardware, the test writes the other. Ready when socat says so on stderr (never
// after a sleep); killing socat is an unplug.
//
// The links to the ptys are made here, not by socat's `link=` option: socat closes a pty before it removes
// its link, so for a moment after an unplug the link points at a /dev/pts number the kernel may already have
// handed to another process's pty (numbers are reused lowest first, and tests run side by side). A device
// reconnecting in that moment would open a stranger's pty and read "connected" from a cable nobody writes.
// Here the links go first (unlinked before socat is signalled) and come last (renamed into place, atomically,
// once socat has both ptys), so a link only ever names a live pty of this pair.
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface SocatPair {
  /** Link to the first pty (the one the terminal opens), e.g. `<dir>/scanner`. */
  readonly a: string;
  /** Link to the second pty (the one the simulated scanner writes). */
  readonly b: string;
  /** The /dev/pts paths socat reported. */
  readonly ptys: readonly [string, string];
  readonly process: ChildProcess;
  /** Stops socat (an unplug for whoever holds either end) and waits until it has exited. */
  kill(): Promise<void>;
}

export interface SocatOptions {
  /** Link names inside `dir` (default `a` and `b`). */
  names?: readonly [string, string];
  /** Gives up if socat is not ready after this long (default 10 s). */
  timeoutMs?: number;
}

const SOCAT_MISSING =
  'socat is not installed; install it with `apt-get install socat` (tests need pseudo-terminals)';

/** Links `link` to `target` atomically (a temporary link renamed over it), replacing whatever was there. */
function linkAtomically(target: string, link: string): void {
  const temporary = `${link}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  symlinkSync(target, temporary);
  renameSync(temporary, link);
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0`, links `<dir>/a` and `<dir>/b` to its ptys when ready. */
export function createSocatPair(dir: string, options: SocatOptions = {}): Promise<SocatPair> {
  const [nameA, nameB] = options.names ?? ['a', 'b'];
  const a = join(dir, nameA);
  const b = join(dir, nameB);
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // 'close' follows 'exit' (and a failed spawn, which has no 'exit').
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let linked = false;
  const unlink = (): void => {
    if (!linked) return;
    linked = false;
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  };
  // socat gone on its own (a crash, a signal from outside): its ptys are gone, so are the links.
  void exited.then(unlink);
  const kill = async (): Promise<void> => {
    unlink(); // first, so no one reopens a link whose pty is about to be freed
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise<SocatPair>((resolve, reject) => {
    let stderr = '';
    const ptys: string[] = [];
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stderr?.removeListener('data', onData);
      child.stderr?.resume(); // keep draining socat's log so it never blocks on a full pipe
      if (error) {
        void kill().then(() => reject(error));
        return;
      }
      resolve({ a, b, ptys: [ptys[0] ?? '', ptys[1] ?? ''], process: child, kill });
    };
    const onData = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
      ptys.length = 0;
      for (const match of stderr.matchAll(/ N PTY is (\S+)/g)) if (match[1]) ptys.push(match[1]);
      // Both ptys exist and are set up (raw, no echo) before socat enters its transfer loop.
      const [ptyA, ptyB] = ptys;
      if (ptyA && ptyB && /starting data transfer loop/.test(stderr)) {
        try {
          linkAtomically(ptyA, a);
          linkAtomically(ptyB, b);
          linked = true;
          finish(null);
        } catch (error) {
          linked = true; // remove whichever link was made
          unlink();
          finish(new Error(`cannot link ${a} and ${b} to socat's ptys: ${String(error)}`));
        }
      }
    };
    const timeoutMs = options.timeoutMs ?? 10_000;
    const timer = setTimeout(
      () => finish(new Error(`socat was not ready after ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ENOENT' ? new Error(SOCAT_MISSING) : error);
    });
    child.once('exit', (code, signal) => {
      finish(new Error(`socat exited (${signal ?? code}) before it was ready:\n${stderr}`));
    });
  });
}
