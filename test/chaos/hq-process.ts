// HQ as a real child process (`npm run hq -- serve`, the command operators run) for the chaos test: started
// on a fixed port against a PostgreSQL schema, killed with SIGKILL and started again on demand. An exit the
// test did not cause (a crash) is counted, its output kept, and HQ is started again so the run can finish
// and report everything that went wrong.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const START_DEADLINE_MS = 60_000;
const MAX_RESTARTS = 20;

export interface HqProcessOptions {
  databaseUrl: string;
  port: number;
}

export class HqProcess {
  /** Exits the test did not ask for, with the tail of HQ's output at that moment. */
  readonly crashes: { code: number | null; signal: string | null; output: string }[] = [];
  private child: ChildProcess | null = null;
  private output = '';
  private stopping = false;
  private restarting: Promise<void> | null = null;

  constructor(private readonly options: HqProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The last few kilobytes HQ printed (for failure messages). */
  get tail(): string {
    return this.output.slice(-4000);
  }

  /** Starts HQ and resolves once it prints that it listens. */
  start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-hq/cli/main.ts', 'serve', '--no-jobs'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: this.options.databaseUrl,
        HQ_PORT: String(this.options.port),
        HQ_HOST: '127.0.0.1',
        LOYALTY_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-64_000);
    };
    child.stderr?.on('data', keep);
    return new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`HQ did not start within ${START_DEADLINE_MS} ms:\n${this.tail}`));
      }, START_DEADLINE_MS);
      let started = false;
      child.stdout?.on('data', (chunk: Buffer) => {
        keep(chunk);
        if (!started && this.output.includes(`listening on`)) {
          started = true;
          clearTimeout(timer);
          resolveStart();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        if (!started) {
          reject(new Error(`HQ exited before listening (code ${code}, signal ${signal}):\n${this.tail}`));
          return;
        }
        if (this.stopping || signal === 'SIGKILL') return;
        // A crash: note it and bring HQ back, as a process supervisor would.
        this.crashes.push({ code, signal, output: this.tail });
        this.restarting = this.restartAfterCrash().finally(() => {
          this.restarting = null;
        });
      });
    });
  }

  /** Starts again after a crash; a start that crashes too is counted and tried again (bounded). */
  private async restartAfterCrash(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) return;
      try {
        await this.start();
        return;
      } catch (error) {
        this.crashes.push({ code: null, signal: null, output: (error as Error).message.slice(-2000) });
        if (attempt >= MAX_RESTARTS) return;
      }
    }
  }

  /** SIGKILL (no shutdown of any kind), then a fresh start on the same port. */
  async killAndRestart(): Promise<void> {
    await this.restarting;
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      child.kill('SIGKILL');
      await exited;
    }
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting?.catch(() => undefined);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGTERM');
    await exited;
  }
}
