// The shape of one TerminalApi contract entry (terminal-api.ts holds the table) and the checks every
// transport runs with it. An entry pairs a channel with its schemas once; the preload, the WebSocket
// client and main's dispatcher read the pairing from the entry, so none of them can pair a channel with
// another method's schema.
//
// Invoked methods (renderer asks, host answers) have an argument tuple schema and a result schema; pushed
// ones (host → renderer: scans, device health, HQ's stream) have a payload schema. HQ calls also say how
// they fail as values (an HqResult: 'rejected', 'offline', 'server-error'), since "HQ is unreachable" is
// normal and must survive IPC and a WebSocket intact; the other methods reject.
import type { z } from 'zod';
import { problemsOf, type Problem } from '../kernel/problems.js';
import { err } from '../kernel/result.js';
import type { HqResult } from './hq-api.js';

export type Channel = `terminal:${string}`;

/** How an invoked method answers a failure as a value of its result type instead of rejecting. */
export interface FailureValues<R> {
  /** The arguments do not fit: nothing was attempted. */
  rejected(message: string, problems: Problem[]): R;
  /** The host cannot be reached (the renderer's socket to it is down). */
  offline(message: string): R;
  /** The host failed, or its answer does not fit the contract. */
  serverError(message: string): R;
}

export interface InvokedEntry<C extends Channel, A extends readonly unknown[], R> {
  readonly kind: 'invoked';
  readonly channel: C;
  /** The arguments as a tuple: main checks what the renderer sends against it (the renderer is untrusted). */
  readonly args: z.ZodType<A>;
  /** One name per argument, for problem paths; '' for an object argument whose fields name themselves. */
  readonly argNames: readonly string[];
  /** The arguments in words ('the pull request'), for the message that says they are not valid. */
  readonly what: string;
  /** The answer: main checks what it sends, the renderer what it receives. */
  readonly result: z.ZodType<R>;
  /** Null: failures reject. */
  readonly failures: FailureValues<R> | null;
}

export interface PushedEntry<C extends Channel, P> {
  readonly kind: 'pushed';
  readonly channel: C;
  /** Main checks what it pushes; the renderer drops what does not fit. */
  readonly payload: z.ZodType<P>;
}

/** An invoked method whose failures reject. */
export function invoked<const C extends Channel, A extends readonly unknown[], R>(
  channel: C,
  spec: { args: z.ZodType<A>; result: z.ZodType<R>; argNames?: readonly string[]; what?: string },
): InvokedEntry<C, A, R> & { readonly failures: null } {
  return {
    kind: 'invoked',
    channel,
    args: spec.args,
    argNames: spec.argNames ?? [],
    what: spec.what ?? 'the arguments',
    result: spec.result,
    failures: null,
  };
}

/** An HQ call: it answers an HqResult, and its failures are that result's errors. */
export function hqCall<const C extends Channel, A extends readonly unknown[], T>(
  channel: C,
  spec: { args: z.ZodType<A>; argNames: readonly string[]; what: string; result: z.ZodType<HqResult<T>> },
): InvokedEntry<C, A, HqResult<T>> & { readonly failures: FailureValues<HqResult<T>> } {
  return {
    kind: 'invoked',
    channel,
    args: spec.args,
    argNames: spec.argNames,
    what: spec.what,
    result: spec.result,
    failures: {
      rejected: (message, problems) => err({ code: 'rejected', message, problems }),
      offline: (message) => err({ code: 'offline', message }),
      serverError: (message) => err({ code: 'server-error', message }),
    },
  };
}

/** A message main pushes to the renderer; the method subscribes and returns the unsubscribe. */
export function pushed<const C extends Channel, P>(channel: C, payload: z.ZodType<P>): PushedEntry<C, P> {
  return { kind: 'pushed', channel, payload };
}

/** Problems listed when the renderer sends something invalid, at most. */
export const MAX_ARGUMENT_PROBLEMS = 200;

/** The problems of arguments that do not fit, by argument name (`events.0.terminalSeq`, `collection`). */
export function argumentProblems(entry: { argNames: readonly string[] }, error: z.ZodError): Problem[] {
  return problemsOf(error)
    .slice(0, MAX_ARGUMENT_PROBLEMS)
    .map((problem) => {
      const [index, ...rest] = problem.path.split('.');
      const name = /^\d+$/.test(index ?? '') ? entry.argNames[Number(index)] : undefined;
      if (name === undefined) return problem;
      return { ...problem, path: [name, ...rest].filter(Boolean).join('.') };
    });
}

/**
 * Checks the renderer's arguments against the entry: the typed arguments, or the entry's failure value
 * ('rejected', with problems by path) when it has one, or an Error.
 */
export function checkArguments<A extends readonly unknown[], R>(
  entry: Pick<InvokedEntry<Channel, A, R>, 'channel' | 'args' | 'argNames' | 'what' | 'failures'>,
  raw: readonly unknown[],
): { ok: true; args: A } | { ok: false; answer: R } {
  const parsed = entry.args.safeParse(raw);
  if (parsed.success) return { ok: true, args: parsed.data };
  const problems = argumentProblems(entry, parsed.error);
  const count = parsed.error.issues.length;
  const message = `Not valid: ${entry.what} (${count} problem${count === 1 ? '' : 's'}).`;
  if (!entry.failures) throw new Error(`${message} On ${entry.channel}.`);
  return { ok: false, answer: entry.failures.rejected(message, problems) };
}

/** The host's answer, checked (the renderer's side): an answer that does not fit rejects, naming its channel. */
export function checkAnswer<R>(entry: { channel: Channel; result: z.ZodType<R> }, answer: unknown): R {
  const parsed = entry.result.safeParse(answer);
  if (!parsed.success) throw new Error(`The host's answer on ${entry.channel} does not fit TerminalApi.`);
  return parsed.data;
}

/** Calls `listener` with a pushed message that fits the entry, and drops one that does not. */
export function deliverPushed<P>(
  entry: { payload: z.ZodType<P> },
  listener: (payload: P) => void,
): (raw: unknown) => void {
  return (raw) => {
    const parsed = entry.payload.safeParse(raw);
    if (parsed.success) listener(parsed.data);
  };
}
