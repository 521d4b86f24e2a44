// Shared by every benchmark: percentiles and timed runs, the machine description, PostgreSQL's presence, and
// writing bench/results/<name>.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${release()}`,
    node: process.version,
  };
}

/** Writes the result beside the machine it was measured on; returns the path. */
export function writeResult(name: string, figures: Record<string, unknown>): string {
  const dir = resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, `${name}.json`);
  const body = { name, measuredAt: new Date().toISOString(), machine: machine(), ...figures };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

export interface Timing {
  p50: number;
  p95: number;
  max: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured; its p50, p95 and max in ms. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: round(median(samples)),
    p95: round(percentile(samples, 95)),
    max: round(Math.max(...samples)),
  };
}

export const DEFAULT_POSTGRES_URL = 'postgres://loyalty:loyalty@127.0.0.1:5432/loyalty_test';

/** TEST_DATABASE_URL (default: the test cluster) checked first, so a missing server says how to get one. */
export async function requirePostgres(bench: string): Promise<void> {
  process.env.TEST_DATABASE_URL ??= DEFAULT_POSTGRES_URL;
  const url = process.env.TEST_DATABASE_URL;
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    await probe.end();
  } catch (error) {
    throw new Error(
      `${bench} needs PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')} (set TEST_DATABASE_URL, or run ./loyalty test ` +
        `once to install and start it): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
