// `console-user add | list | password | disable | enable`: the back office's users from the shell, for the
// first admin and for an admin locked out. A password comes from stdin (--password-stdin, so it is never
// in the shell's history or the process list) or is generated and printed once; HQ keeps only its scrypt
// hash. Every change is written to the console's audit log as `cli:<OS user>`, in one transaction with the
// change itself.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { passwordSchema, usernameSchema, type ConsoleUser } from '../../src-shared/console/auth.js';
import { consoleRoleSchema, type ConsoleRole } from '../../src-shared/console/endpoint.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Queryable } from '../db/database.js';
import { recordAudit } from '../store/console/audit.js';
import {
  changeConsoleUser,
  ConsoleUserError,
  createConsoleUser,
  listConsoleUsers,
  setConsolePassword,
} from '../store/console/users.js';
import { check, positional, type Command } from './command.js';
import { withDb } from './database.js';
import { EXIT, line, table, UsageError, UserError, type CliIo } from './io.js';

/** 120 random bits, 20 characters a person can copy: printed once. */
export const generatePassword = (): string => randomBytes(15).toString('base64url');

const reason = z.string().trim().min(1).max(500).optional();

/** The password from stdin (one line; its line ending is not part of it), or a generated one. */
async function passwordFor(io: CliIo, fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  if (!io.readStdin) throw new UsageError('--password-stdin needs a standard input to read');
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  const checked = passwordSchema.safeParse(text);
  if (!checked.success)
    throw new UserError(
      `the password on stdin is not accepted: ${checked.error.issues[0]?.message ?? 'invalid'}`,
    );
  return { password: checked.data, generated: false };
}

const actorOf = (io: CliIo): string => `cli:${(io.env.USER ?? io.env.LOGNAME ?? 'unknown').slice(0, 56)}`;

/** Runs a user change and its audit row in one transaction; the store's refusals become user errors. */
async function audited<T>(
  io: CliIo,
  clock: Clock,
  what: { action: string; username: string; reason?: string | undefined; details: Record<string, unknown> },
  change: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return withDb(io, async (db) => {
    try {
      return await db.transaction(async (tx) => {
        const result = await change(tx);
        await recordAudit(
          tx,
          {
            userId: null,
            actor: actorOf(io),
            action: what.action,
            target: `user ${what.username}`,
            reason: what.reason ?? null,
            outcome: 'done',
            details: { ...what.details, via: 'cli' },
            ip: null,
          },
          clock,
        );
        return result;
      });
    } catch (error) {
      if (error instanceof ConsoleUserError) throw new UserError(error.message);
      throw error;
    }
  });
}

async function userNamed(db: Queryable, username: string): Promise<ConsoleUser> {
  const user = (await listConsoleUsers(db)).find((u) => u.username === username);
  if (!user)
    throw new UserError(`there is no console user ${JSON.stringify(username)} (see: console-user list)`);
  return user;
}

function printPassword(io: CliIo, password: string): void {
  line(io.stdout, `Password (shown once, HQ keeps only its hash): ${password}`);
}

const add: Command = {
  path: ['console-user', 'add'],
  args: [],
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    store: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
    reason: { type: 'string' },
  },
  summary: 'add a back-office (console) user',
  help: `Adds a user who signs in to the console at /console/. Without --password-stdin a password is
generated and printed once.

  --username <name>     lower-case letters, digits and . _ @ -
  --name <name>         as the console shows it
  --role <role>         admin, program-manager, analyst or store-manager
  --store <id>          a store manager's store (repeat for several); other roles see every store
  --password-stdin      read the password (at least 12 characters) from standard input
  --reason "…"          why, for the audit log`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(
      z.object({
        username: usernameSchema,
        name: z.string().trim().min(1).max(120),
        role: consoleRoleSchema,
        store: z.array(z.string().min(1).max(64)).max(1000).optional(),
        'password-stdin': z.boolean().optional(),
        reason,
      }),
      values,
    );
  },
  async run(
    ctx,
    args: {
      username: string;
      name: string;
      role: ConsoleRole;
      store?: string[];
      'password-stdin'?: boolean;
      reason?: string;
    },
  ) {
    const { io, clock } = ctx;
    const { password, generated } = await passwordFor(io, args['password-stdin'] === true);
    const storeIds = args.store ?? [];
    const user = await audited(
      io,
      clock,
      {
        action: 'user.create',
        username: args.username,
        reason: args.reason,
        details: { role: args.role, storeIds },
      },
      (tx) =>
        createConsoleUser(
          tx,
          { username: args.username, name: args.name, role: args.role, storeIds, password },
          clock,
        ),
    );
    const stores = user.storeIds.length > 0 ? ` for ${user.storeIds.join(', ')}` : '';
    line(io.stdout, `Added ${user.role} ${user.username} (${user.name})${stores}.`);
    if (generated) printPassword(io, password);
    return EXIT.ok;
  },
};

const list: Command = {
  path: ['console-user', 'list'],
  args: [],
  options: { json: { type: 'boolean' } },
  summary: 'list the console users',
  help: '  --json    as JSON',
  parse: (values, positionals) => {
    positional(positionals, []);
    return { json: values.json === true };
  },
  async run(ctx, args: { json: boolean }) {
    const { io } = ctx;
    const users = await withDb(io, (db) => listConsoleUsers(db), { readOnly: true });
    if (args.json) {
      line(io.stdout, JSON.stringify({ users }, null, 2));
      return EXIT.ok;
    }
    if (users.length === 0) {
      line(io.stdout, 'No console users yet: add the first admin with console-user add --role admin.');
      return EXIT.ok;
    }
    line(
      io.stdout,
      table(
        ['username', 'name', 'role', 'stores', 'status', 'last sign-in'],
        users.map((u) => [
          u.username,
          u.name,
          u.role,
          u.storeIds.join(', ') || '(all)',
          u.disabled ? 'disabled' : 'active',
          u.lastSignInAt ?? 'never',
        ]),
      ),
    );
    return EXIT.ok;
  },
};

const usernameOptions = { username: { type: 'string' }, reason: { type: 'string' } } as const;
const parseUsername = (values: Record<string, unknown>, positionals: string[]) => {
  positional(positionals, []);
  return check(
    z.object({ username: usernameSchema, reason, 'password-stdin': z.boolean().optional() }),
    values,
  );
};

const password: Command = {
  path: ['console-user', 'password'],
  args: [],
  options: { ...usernameOptions, 'password-stdin': { type: 'boolean' } },
  summary: "set a console user's password (their sessions end)",
  help: `Without --password-stdin a new password is generated and printed once. Every session of the
user ends.

  --username <name>     whose password
  --password-stdin      read the password (at least 12 characters) from standard input
  --reason "…"          why, for the audit log`,
  parse: parseUsername,
  async run(ctx, args: { username: string; reason?: string; 'password-stdin'?: boolean }) {
    const { io, clock } = ctx;
    const chosen = await passwordFor(io, args['password-stdin'] === true);
    await audited(
      io,
      clock,
      { action: 'user.password', username: args.username, reason: args.reason, details: {} },
      async (tx) => setConsolePassword(tx, (await userNamed(tx, args.username)).id, chosen.password),
    );
    line(io.stdout, `Set a new password for ${args.username}; their sessions have ended.`);
    if (chosen.generated) printPassword(io, chosen.password);
    return EXIT.ok;
  },
};

function switchCommand(disabled: boolean): Command {
  const verb = disabled ? 'disable' : 'enable';
  return {
    path: ['console-user', verb],
    args: [],
    options: usernameOptions,
    summary: disabled ? 'disable a console user (their sessions end)' : 'enable a disabled console user',
    help: `${disabled ? 'The user can no longer sign in and every session of theirs ends. The last active admin cannot be disabled.\n\n' : ''}  --username <name>     who
  --reason "…"          why, for the audit log`,
    parse: parseUsername,
    async run(ctx, args: { username: string; reason?: string }) {
      const { io, clock } = ctx;
      await audited(
        io,
        clock,
        { action: 'user.change', username: args.username, reason: args.reason, details: { disabled } },
        async (tx) => changeConsoleUser(tx, (await userNamed(tx, args.username)).id, { disabled }),
      );
      line(io.stdout, `${disabled ? 'Disabled' : 'Enabled'} ${args.username}.`);
      return EXIT.ok;
    },
  };
}

export const CONSOLE_USER_COMMANDS: readonly Command[] = [
  add,
  list,
  password,
  switchCommand(true),
  switchCommand(false),
];
