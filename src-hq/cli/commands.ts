// The admin CLI's commands (`npm run hq -- <command>`): each names its arguments for node:util parseArgs,
// checks them with zod, and prints what it did in words an administrator can act on.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { canonicalJson } from '../../src-shared/kernel/hash.js';
import { formatMoney } from '../../src-shared/kernel/money.js';
import { describePinLength, pinLengthProblem, pinProblem } from '../../src-shared/kernel/pin.js';
import { uuidv7Factory } from '../../src-shared/kernel/ids.js';
import { isTimeZone } from '../../src-shared/kernel/zoned-time.js';
import { formatProblems, parseProgramJson, type Program } from '../../src-shared/program/index.js';
import { startServer, type ServerJobs } from '../api/server.js';
import { migrate } from '../db/migrate.js';
import { importMembers } from '../import/members.js';
import { importProducts } from '../import/products.js';
import type { ImportReport, RowProblem } from '../import/rows.js';
import { NIGHTLY_JOBS, runNightlyJobs, type NightlyJob } from '../jobs/nightly.js';
import { dailyFlows, lastDays, liabilityReport, reviewQueueReport } from '../reports/reports.js';
import { seedDemo } from '../seed/demo.js';
import { addCashier, chainPinLength } from '../store/catalog.js';
import { currentProgram, programVersion, publishProgram } from '../store/programs.js';
import {
  approveReview,
  getReview,
  heldPoints,
  listReviewPage,
  rejectReview,
  ReviewNotCreditableError,
  ReviewResolvedError,
  UnknownReviewError,
  type ReviewItem,
} from '../store/reviews.js';
import {
  createStore,
  getStoreSettings,
  InvalidInputError,
  listStores,
  setStoreSettings,
} from '../store/stores.js';
import { createAdminToken, createEnrollmentCode } from '../store/terminals.js';
import { check, positional, type Command } from './command.js';
import { CONSOLE_USER_COMMANDS } from './console-users.js';
import { hqConfig, openCommandDb, withDb } from './database.js';
import { EXIT, int, line, table, UsageError, UserError, type CliIo } from './io.js';

export type { Command, CommandContext } from './command.js';
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const intOption = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
const country = z.string().regex(/^\+?[1-9]\d{0,2}$/, 'a country calling code such as 33 or +353');

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}

/** A file as a stream of byte chunks, with a clear error if it cannot be opened. */
async function openStream(file: string): Promise<AsyncIterable<Uint8Array>> {
  if (existsSync(file) && !statSync(file).isFile()) throw new UserError(`cannot read ${file}: not a file`);
  const stream = createReadStream(file);
  await new Promise<void>((resolveOpen, reject) => {
    stream.once('open', () => resolveOpen());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UserError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`),
      ),
    );
  });
  return stream;
}

function printImport(io: CliIo, what: string, report: ImportReport, extra = ''): number {
  const omitted =
    report.problemsOmitted > 0 ? ` (${int(report.problemsOmitted)} more problems not listed)` : '';
  line(
    io.stdout,
    `Imported ${int(report.imported)} of ${int(report.rowsRead)} ${what} in ${int(report.batches)} batch${report.batches === 1 ? '' : 'es'}` +
      `${extra}; ${int(report.rejected)} row${report.rejected === 1 ? '' : 's'} refused${omitted}.`,
  );
  return report.rejected > 0 ? EXIT.failed : EXIT.ok;
}

const problemPrinter = (io: CliIo) => (p: RowProblem) => line(io.stderr, `line ${p.line}: ${p.reason}`);

// ---- commands ------------------------------------------------------------------------------------

const serve: Command = {
  path: ['serve'],
  args: [],
  options: { 'no-jobs': { type: 'boolean' } },
  summary: 'start HQ (HTTP API) and its nightly jobs',
  help: `Starts HQ on HQ_HOST:HQ_PORT with DATABASE_URL (PostgreSQL) or the PGlite folder HQ_DATA_DIR, migrating
the database first, and prints "listening on <url>" once it accepts requests. Stops on SIGINT or SIGTERM.
On PGlite it holds the folder and shares its database with the other commands while it runs.

Nightly jobs run every day at HQ_JOBS_AT (default 02:30) in HQ_JOBS_TIME_ZONE (default: the program's
time zone). Several HQ processes may run them: each job runs once per business day.

  --no-jobs   do not schedule the nightly jobs in this process`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return { jobs: values['no-jobs'] !== true };
  },
  async run(ctx, args: { jobs: boolean }) {
    const { io, clock } = ctx;
    const config = hqConfig(io);
    const at = io.env.HQ_JOBS_AT ?? '02:30';
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw new UserError('HQ_JOBS_AT must be a local time HH:MM');
    const zoneOverride = io.env.HQ_JOBS_TIME_ZONE;
    if (zoneOverride !== undefined && !isTimeZone(zoneOverride))
      throw new UserError(`HQ_JOBS_TIME_ZONE ${JSON.stringify(zoneOverride)} is not an IANA time zone`);
    {
      // On PGlite, startServer holds the folder and shares its database with the CLI until it stops.
      const jobs: ServerJobs | false = args.jobs && {
        at,
        ...(zoneOverride === undefined ? {} : { timeZone: zoneOverride }),
        onRun: (report) =>
          line(
            io.stdout,
            `nightly jobs for ${report.businessDay}: ${report.results.map((r) => `${r.job} ${r.status}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}`,
          ),
        onError: (error) => line(io.stderr, `nightly jobs failed: ${(error as Error).message}`),
      };
      const server = await startServer(config, { clock, jobs }).catch((error: Error) => {
        throw new UserError(`HQ could not start: ${error.message}`);
      });
      if (server.jobs) line(io.stdout, `nightly jobs at ${server.jobs.at} ${server.jobs.timeZone}`);
      line(io.stdout, `listening on ${server.url}`);
      await new Promise<void>((resolveStop) => {
        if (!io.signal) return;
        if (io.signal.aborted) resolveStop();
        io.signal.addEventListener('abort', () => resolveStop(), { once: true });
      });
      await server.close();
      line(io.stdout, 'HQ stopped');
      return EXIT.ok;
    }
  },
};

const migrateCommand: Command = {
  path: ['migrate'],
  args: [],
  options: {},
  summary: 'apply pending database migrations',
  help: "Applies the migrations HQ's database does not have yet (serve does this too).",
  parse: (_values, positionals) => positional(positionals, []),
  async run(ctx) {
    const config = hqConfig(ctx.io);
    const opened = await openCommandDb(config).catch((error: Error) => {
      throw error instanceof UserError ? error : new UserError(`cannot open the database: ${error.message}`);
    });
    const { db } = opened;
    try {
      const applied = await migrate(db);
      line(
        ctx.io.stdout,
        applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.join(', ')}.`,
      );
      return EXIT.ok;
    } finally {
      await opened.close();
    }
  },
};

const publish: Command = {
  path: ['program', 'publish'],
  args: ['<file.json>'],
  options: {},
  summary: 'validate and publish a program version',
  help: `Validates the program file and publishes it as the new current version; terminals pull it.
Every problem is listed with its path (e.g. earning.rules.2.per) and nothing is published.
Versions are immutable: a changed program needs a higher "version".`,
  parse: (_values, positionals) => {
    const [file] = positional(positionals, ['<file.json>']);
    return { file: file! };
  },
  async run(ctx, args: { file: string }) {
    const { io } = ctx;
    const parsed = parseProgramJson(readText(args.file));
    if (!parsed.ok) {
      line(
        io.stderr,
        `${args.file} is not a valid program (${parsed.error.length} problem${parsed.error.length === 1 ? '' : 's'}):`,
      );
      line(io.stderr, formatProblems(parsed.error).replace(/^/gm, '  '));
      return EXIT.failed;
    }
    const program = parsed.value;
    return withDb(io, async (db) => {
      const existing = await programVersion(db, program.id, program.version);
      if (existing) {
        const same = canonicalJson(existing) === canonicalJson(program);
        throw new UserError(
          same
            ? `${program.id} version ${program.version} is already published with this content: nothing to do.`
            : `${program.id} version ${program.version} is already published with other content. Versions are ` +
                `immutable: give the changed program a higher "version".`,
        );
      }
      let result: { programId: string; version: number };
      try {
        result = await publishProgram(db, program);
      } catch (error) {
        throw new UserError((error as Error).message);
      }
      line(
        io.stdout,
        `Published ${program.name} (${result.programId}) version ${result.version}: it is now current.`,
      );
      return EXIT.ok;
    });
  },
};

const membersImport: Command = {
  path: ['members', 'import'],
  args: ['<file.csv>'],
  options: { country: { type: 'string' }, 'batch-size': { type: 'string' } },
  summary: 'import members from a CSV file',
  help: `Columns (header row, any order): first_name (required), member_id, last_name, email, phone,
birth_date (YYYY-MM-DD) or birth_month (1-12), cards (several separated by ;), balance (opening points).
Each member is enrolled as an HQ event, with an opening balance as a 'migration' adjustment. Bad rows are
listed on stderr with their line number; good rows are kept. Exit code 1 when any row was refused.

  --country <code>    country calling code for phone numbers written without one (e.g. 33, 353)
  --batch-size <n>    rows per transaction (default 500)`,
  parse: (values, positionals) => {
    const [file] = positional(positionals, ['<file.csv>']);
    return check(
      z.object({
        file: z.string(),
        country: country.optional(),
        'batch-size': intOption(1, 10_000).optional(),
      }),
      { ...values, file },
    );
  },
  async run(ctx, args: { file: string; country?: string; 'batch-size'?: number }) {
    const { io, clock } = ctx;
    const source = await openStream(args.file);
    return withDb(io, async (db) => {
      const report = await importMembers(db, source, clock, {
        ...(args.country === undefined ? {} : { defaultCountryCode: args.country }),
        ...(args['batch-size'] === undefined ? {} : { batchSize: args['batch-size'] }),
        onProblem: problemPrinter(io),
      });
      return printImport(io, 'members', report);
    });
  },
};

const productsImport: Command = {
  path: ['products', 'import'],
  args: ['<file.csv>'],
  options: { currency: { type: 'string' }, 'batch-size': { type: 'string' } },
  summary: 'import or update products from a CSV file',
  help: `Columns: sku, name, category, price (required; price as on the shelf, e.g. 4.99), gtin, currency,
deleted (yes/no). A SKU HQ has is updated; bad rows are listed with their line number, good rows kept.
Exit code 1 when any row was refused.

  --currency <ISO>    currency of rows without one (default: the program's)
  --batch-size <n>    rows per transaction (default 500)`,
  parse: (values, positionals) => {
    const [file] = positional(positionals, ['<file.csv>']);
    return check(
      z.object({
        file: z.string(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
          .optional(),
        'batch-size': intOption(1, 10_000).optional(),
      }),
      { ...values, file },
    );
  },
  async run(ctx, args: { file: string; currency?: string; 'batch-size'?: number }) {
    const { io } = ctx;
    const source = await openStream(args.file);
    return withDb(io, async (db) => {
      const currency = args.currency ?? (await currentProgram(db))?.currency;
      if (!currency) throw new UsageError('give --currency: no program is published to take it from');
      const report = await importProducts(db, source, {
        currency,
        ...(args['batch-size'] === undefined ? {} : { batchSize: args['batch-size'] }),
        onProblem: problemPrinter(io),
      });
      return printImport(
        io,
        'products',
        report,
        ` (${int(report.inserted)} new, ${int(report.updated)} updated, ${int(report.unchanged)} unchanged)`,
      );
    });
  },
};

const storeAdd: Command = {
  path: ['store', 'add'],
  args: [],
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    'time-zone': { type: 'string' },
    country: { type: 'string' },
  },
  summary: 'add a store',
  help: `  --id <id>             e.g. dublin-grafton
  --name <name>         e.g. "Dublin, Grafton Street"
  --time-zone <zone>    IANA time zone, e.g. Europe/Dublin (the store's business day)
  --country <code>      ISO 3166-1 alpha-2, e.g. IE (phone numbers typed without +<country>); default IE`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(
      z.object({ id: z.string(), name: z.string(), 'time-zone': z.string(), country: z.string().optional() }),
      values,
    );
  },
  async run(ctx, args: { id: string; name: string; 'time-zone': string; country?: string }) {
    return withDb(ctx.io, async (db) => {
      const store = await createStore(db, {
        id: args.id,
        name: args.name,
        timeZone: args['time-zone'],
        ...(args.country === undefined ? {} : { country: args.country }),
      });
      line(ctx.io.stdout, `Added store ${store.id} (${store.name}, ${store.timeZone}, ${store.country}).`);
      return EXIT.ok;
    });
  },
};

const storeList: Command = {
  path: ['store', 'list'],
  args: [],
  options: {},
  summary: 'list the stores',
  help: '',
  parse: (_values, positionals) => positional(positionals, []),
  async run(ctx) {
    return withDb(
      ctx.io,
      async (db) => {
        const stores = await listStores(db);
        line(
          ctx.io.stdout,
          stores.length === 0
            ? 'No stores yet (store add).'
            : table(
                ['id', 'name', 'time zone', 'country'],
                stores.map((s) => [s.id, s.name, s.timeZone, s.country]),
              ),
        );
        return EXIT.ok;
      },
      { readOnly: true },
    );
  },
};

const storeSettings: Command = {
  path: ['store', 'settings'],
  args: ['<store-id>'],
  options: {
    'member-idle-seconds': { type: 'string' },
    'sign-out-idle-minutes': { type: 'string' },
    'close-at': { type: 'string' },
    locale: { type: 'string' },
  },
  summary: "show or change a store's counter settings (idle timeouts, close time, locale)",
  help: `Without options, prints the settings. Tills fetch them again on their next connection to HQ's stream
and use them from their next start (docs/operations.md, "Store settings").

  --member-idle-seconds <n>    a member's screen with no input for this long goes back to the idle screen,
                               its basket cancelled (15–3600; default 90)
  --sign-out-idle-minutes <n>  no input for this long signs the cashier out (1–720; default 15)
  --close-at <HH:MM>           the nightly close, store local time (default 23:30)
  --locale <tag>               the tills' language and number conventions: en-IE, en-GB, fr-FR, fr-BE…
                               (English or French; default en-IE)`,
  parse: (values, positionals) => {
    const [id] = positional(positionals, ['<store-id>']);
    return {
      id: id!,
      ...check(
        z.object({
          'member-idle-seconds': intOption(15, 3600).optional(),
          'sign-out-idle-minutes': intOption(1, 720).optional(),
          'close-at': z.string().optional(),
          locale: z.string().optional(),
        }),
        values,
      ),
    };
  },
  async run(
    ctx,
    args: {
      id: string;
      'member-idle-seconds'?: number;
      'sign-out-idle-minutes'?: number;
      'close-at'?: string;
      locale?: string;
    },
  ) {
    return withDb(ctx.io, async (db) => {
      const change = {
        ...(args['member-idle-seconds'] === undefined
          ? {}
          : { memberIdleSeconds: args['member-idle-seconds'] }),
        ...(args['sign-out-idle-minutes'] === undefined
          ? {}
          : { signOutIdleMinutes: args['sign-out-idle-minutes'] }),
        ...(args['close-at'] === undefined ? {} : { closeAt: args['close-at'] }),
        ...(args.locale === undefined ? {} : { locale: args.locale }),
      };
      const changed = Object.keys(change).length > 0;
      const settings = changed
        ? await setStoreSettings(db, args.id, change)
        : await getStoreSettings(db, args.id);
      line(
        ctx.io.stdout,
        `${changed ? 'Changed' : 'Settings of'} store ${args.id}: member screen idle ${settings.memberIdleSeconds} s, ` +
          `sign-out idle ${settings.signOutIdleMinutes} min, close at ${settings.closeAt}, locale ${settings.locale}.`,
      );
      return EXIT.ok;
    });
  },
};

const terminalEnroll: Command = {
  path: ['terminal', 'enroll'],
  args: [],
  options: { store: { type: 'string' }, 'ttl-hours': { type: 'string' } },
  summary: 'make a one-time enrollment code for a new terminal',
  help: `Prints a one-time code to type on the new terminal; it is stored only hashed and cannot be shown again.

  --store <id>        the store the terminal belongs to
  --ttl-hours <n>     how long the code is valid (default 24)`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(z.object({ store: z.string().min(1), 'ttl-hours': intOption(1, 720).optional() }), values);
  },
  async run(ctx, args: { store: string; 'ttl-hours'?: number }) {
    return withDb(ctx.io, async (db) => {
      const { code, expiresAt } = await createEnrollmentCode(
        db,
        args.store,
        ctx.clock,
        args['ttl-hours'] === undefined ? {} : { ttlHours: args['ttl-hours'] },
      );
      line(ctx.io.stdout, `Enrollment code for store ${args.store}: ${code}`);
      line(ctx.io.stdout, `Valid once, until ${expiresAt}. It is not stored and cannot be shown again.`);
      return EXIT.ok;
    });
  },
};

const cashierAdd: Command = {
  path: ['cashier', 'add'],
  args: [],
  options: {
    store: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    pin: { type: 'string' },
    id: { type: 'string' },
  },
  summary: 'add a cashier or manager to a store',
  help: `  --store <id>                 the store
  --name <name>                as shown on the terminal
  --role cashier|manager       managers approve overrides, voids and adjustments
  --pin <digits>               4 to 8 digits as the program's staff.pinLength says; asked for (hidden,
                               twice) when omitted at a terminal
  --id <id>                    default: a new UUIDv7`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(
      z.object({
        store: z.string().min(1),
        name: z.string().trim().min(1).max(80),
        role: z.enum(['cashier', 'manager'], { error: 'cashier or manager' }),
        pin: z
          .string()
          .refine((p) => pinProblem(p) === null, 'a PIN is 4 to 8 digits')
          .optional(),
        id: z.string().min(1).max(64).optional(),
      }),
      values,
    );
  },
  async run(
    ctx,
    args: { store: string; name: string; role: 'cashier' | 'manager'; pin?: string; id?: string },
  ) {
    const { io } = ctx;
    if (args.pin === undefined && !io.prompt)
      throw new UsageError('--pin is required when there is no terminal to ask for it');
    const id = args.id ?? uuidv7Factory(ctx.clock, (n) => randomBytes(n))();
    return withDb(io, async (db) => {
      // The chain's PIN length is the current program's: ask for that many digits (addCashier checks it too).
      const length = await chainPinLength(db);
      let pin = args.pin;
      if (pin === undefined && io.prompt) {
        pin = await io.prompt(`PIN for ${args.name} (${describePinLength(length)}): `, { hidden: true });
        const problem = pinLengthProblem(pin, length);
        if (problem) throw new UserError(problem);
        const again = await io.prompt('The same PIN again: ', { hidden: true });
        if (again !== pin) throw new UserError('the two PINs differ; nothing was saved');
      }
      const problem = pinLengthProblem(pin ?? '', length);
      if (problem) throw new UserError(`${problem} in this chain's program (staff.pinLength)`);
      const cashier = await addCashier(db, {
        id,
        storeId: args.store,
        name: args.name,
        role: args.role,
        pin: pin ?? '',
      });
      line(
        io.stdout,
        `Added ${cashier.role} ${cashier.name} (id ${cashier.id}) to store ${cashier.storeId}.`,
      );
      return EXIT.ok;
    });
  },
};

const adminToken: Command = {
  path: ['admin', 'token'],
  args: [],
  options: { name: { type: 'string' } },
  summary: 'make an admin API token',
  help: `Prints a new admin bearer token for the /v1/admin API; it is stored only hashed.

  --name <name>     whose token it is, e.g. "back office"`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(z.object({ name: z.string().trim().min(1).max(80) }), values);
  },
  async run(ctx, args: { name: string }) {
    return withDb(ctx.io, async (db) => {
      const token = await createAdminToken(db, args.name);
      line(ctx.io.stdout, `Admin token for ${args.name}: ${token}`);
      line(ctx.io.stdout, 'It is not stored and cannot be shown again.');
      return EXIT.ok;
    });
  },
};

const jobsRun: Command = {
  path: ['jobs', 'run'],
  args: [],
  options: { day: { type: 'string' }, only: { type: 'string' } },
  summary: 'run the nightly jobs now',
  help: `Runs points expiry, tier evaluation, birthday bonuses and the allowance recompute for a business day
(default: today in the program's time zone). Each job runs once per day: a second run skips it.
Exit code 1 when a job failed.

  --day YYYY-MM-DD    the business day
  --only <jobs>       comma-separated subset of: ${NIGHTLY_JOBS.join(', ')}`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(
      z.object({
        day: day.optional(),
        only: z
          .string()
          .transform((s) => s.split(',').map((j) => j.trim()))
          .pipe(z.array(z.enum(NIGHTLY_JOBS, { error: `one of ${NIGHTLY_JOBS.join(', ')}` })).min(1))
          .optional(),
      }),
      values,
    );
  },
  async run(ctx, args: { day?: string; only?: NightlyJob[] }) {
    return withDb(ctx.io, async (db) => {
      let report;
      try {
        report = await runNightlyJobs(db, ctx.clock, {
          ...(args.day === undefined ? {} : { businessDay: args.day }),
          ...(args.only === undefined ? {} : { jobs: args.only }),
        });
      } catch (error) {
        if (error instanceof RangeError) throw new UserError(error.message);
        throw error;
      }
      line(
        ctx.io.stdout,
        `Nightly jobs for ${report.businessDay}${report.program ? ` (${report.program.id} v${report.program.version})` : ''}:`,
      );
      line(
        ctx.io.stdout,
        table(
          ['job', 'status', 'members', 'changes', 'points', 'note'],
          report.results.map((r) => [
            r.job,
            r.status,
            r.members,
            r.changes,
            r.points,
            r.reason ?? (r.flagged > 0 ? `${r.flagged} flagged` : ''),
          ]),
        ),
      );
      return report.results.some((r) => r.status === 'failed') ? EXIT.failed : EXIT.ok;
    });
  },
};

const REPORTS = ['liability', 'daily', 'reviews'] as const;

const report: Command = {
  path: ['report'],
  args: ['[liability|daily|reviews]'],
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    days: { type: 'string' },
    json: { type: 'boolean' },
  },
  summary: 'points liability, points issued vs redeemed per day, review queue',
  help: `  liability          points held less members' debt, valued at the program's point value
  daily              points issued, redeemed and expired per local day
  reviews            the open review queue
  (none)             all three

  --from/--to YYYY-MM-DD   days for the daily report (default: the last --days days)
  --days <n>               default 14
  --json                   machine-readable output`,
  parse: (values, positionals) => {
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
    return check(
      z.object({
        which: z.enum(REPORTS, { error: `one of ${REPORTS.join(', ')}` }).optional(),
        from: day.optional(),
        to: day.optional(),
        days: intOption(1, 366).optional(),
        json: z.boolean().optional(),
      }),
      { ...values, which: positionals[0] },
    );
  },
  async run(
    ctx,
    args: { which?: (typeof REPORTS)[number]; from?: string; to?: string; days?: number; json?: boolean },
  ) {
    const { io } = ctx;
    return withDb(
      io,
      async (db) => {
        const program = await currentProgram(db);
        const which = args.which ? [args.which] : REPORTS;
        const out: Record<string, unknown> = {};
        if ((which.includes('liability') || which.includes('daily')) && !program)
          throw new UserError(
            'no program is published: the liability and daily reports need its point value and time zone',
          );
        for (const w of which) {
          if (w === 'liability') out.liability = await liabilityReport(db, program as Program);
          if (w === 'daily') {
            const p = program as Program;
            const range = lastDays(ctx.clock.now(), p.timeZone, args.days ?? 14);
            const from = args.from ?? range.from;
            const to = args.to ?? range.to;
            if (from > to) throw new UsageError('--from is after --to');
            out.daily = {
              timeZone: p.timeZone,
              from,
              to,
              days: await dailyFlows(db, p.timeZone, { from, to }),
            };
          }
          if (w === 'reviews') out.reviews = await reviewQueueReport(db);
        }
        if (args.json) {
          line(io.stdout, JSON.stringify(out, null, 2));
          return EXIT.ok;
        }
        printReports(io, out);
        return EXIT.ok;
      },
      { readOnly: true },
    );
  },
};

interface PrintableReports {
  liability?: Awaited<ReturnType<typeof liabilityReport>>;
  daily?: { timeZone: string; from: string; to: string; days: Awaited<ReturnType<typeof dailyFlows>> };
  reviews?: Awaited<ReturnType<typeof reviewQueueReport>>;
}

function printReports(io: CliIo, r: PrintableReports): void {
  const out = io.stdout;
  if (r.liability) {
    const l = r.liability;
    line(
      out,
      `Points liability (${l.programId} v${l.programVersion}: ${int(l.pointValue.points)} points = ${formatMoney(l.pointValue.value, l.currency)})`,
    );
    // The liability is net of the members' debt: with no debt it is the value of the points held.
    const held = `  ${int(l.outstandingPoints)} points held by ${int(l.membersWithPoints)} of ${int(l.members)} members`;
    if (l.debtPoints > 0) {
      line(out, held);
      line(
        out,
        `  ${int(l.debtPoints)} points owed by members after overdrafts; net ${int(l.netPoints)} points: ${formatMoney(l.liability, l.currency)}`,
      );
    } else line(out, `${held}: ${formatMoney(l.liability, l.currency)}`);
    if (l.byTier.some((t) => t.tier !== null))
      line(
        out,
        table(
          ['tier', 'members', 'points', 'liability'],
          l.byTier.map((t) => [
            t.tier ?? '(none)',
            t.members,
            t.points,
            formatMoney(t.liability, l.currency),
          ]),
        ).replace(/^/gm, '  '),
      );
    line(out);
  }
  if (r.daily) {
    const d = r.daily;
    line(out, `Points per day, ${d.from} to ${d.to} (${d.timeZone})`);
    line(
      out,
      d.days.length === 0
        ? '  no events'
        : table(
            ['day', 'events', 'issued', 'redeemed', 'expired'],
            d.days.map((x) => [x.day, x.events, x.issued, x.redeemed, x.expired]),
          ).replace(/^/gm, '  '),
    );
    line(out);
  }
  if (r.reviews) {
    const q = r.reviews;
    line(out, `Review queue: ${int(q.open)} open`);
    if (q.byKind.length > 0)
      line(
        out,
        table(
          ['kind', 'open', 'oldest'],
          q.byKind.map((k) => [k.kind, k.open, k.oldest]),
        ).replace(/^/gm, '  '),
      );
    for (const item of q.items)
      line(
        out,
        `  #${item.id} ${item.kind} ${item.createdAt}${item.memberId ? ` member ${item.memberId}` : ''}${item.terminalId ? ` terminal ${item.terminalId}` : ''}`,
      );
    line(out);
  }
}

// ---- review queue ---------------------------------------------------------------------------------

/** `42` or `#42` (as the lists print it). */
function reviewId(text: string): number {
  if (!/^#?\d{1,15}$/.test(text)) throw new UsageError('<id> is a review item number such as 42');
  return Number(text.replace('#', ''));
}

/** One line per item: what a person scanning the queue needs to pick one. */
function reviewSummary(item: ReviewItem): string {
  const held = heldPoints(item);
  const reason = typeof item.details.reason === 'string' ? item.details.reason : '';
  return [held > 0 ? `holds ${int(held)} points` : '', reason].filter((x) => x.length > 0).join('; ');
}

/** The store's refusals as messages the administrator can act on (exit code 1). */
async function reviewStoreCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof UnknownReviewError ||
      error instanceof ReviewResolvedError ||
      error instanceof ReviewNotCreditableError ||
      error instanceof InvalidInputError
    )
      throw new UserError(error.message);
    throw error;
  }
}

const REVIEW_STATUSES = ['open', 'resolved', 'all'] as const;

const reviewsList: Command = {
  path: ['reviews', 'list'],
  args: [],
  options: {
    status: { type: 'string' },
    kind: { type: 'string' },
    member: { type: 'string' },
    terminal: { type: 'string' },
    store: { type: 'string' },
    after: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  summary: 'list review items, oldest first',
  help: `  --status open|resolved|all   default open
  --kind <kind>                e.g. overdraft, gap, close-mismatch
  --member <id>                items about one member
  --terminal <id>              items raised by one terminal
  --store <id>                 items raised by the terminals of one store
  --limit <n>                  items per page (default 50)
  --after <id>                 the next page: items after this number (printed under a full page)
  --json                       machine-readable output`,
  parse: (values, positionals) => {
    positional(positionals, []);
    const id = z.string().min(1).max(64).optional();
    return check(
      z.object({
        status: z.enum(REVIEW_STATUSES, { error: 'open, resolved or all' }).default('open'),
        kind: id,
        member: id,
        terminal: id,
        store: id,
        after: intOption(0, Number.MAX_SAFE_INTEGER).optional(),
        limit: intOption(1, 1000).default(50),
        json: z.boolean().optional(),
      }),
      values,
    );
  },
  async run(
    ctx,
    args: {
      status: (typeof REVIEW_STATUSES)[number];
      kind?: string;
      member?: string;
      terminal?: string;
      store?: string;
      after?: number;
      limit: number;
      json?: boolean;
    },
  ) {
    const { io } = ctx;
    return withDb(
      io,
      async (db) => {
        const page = await listReviewPage(db, {
          ...(args.status === 'all' ? {} : { status: args.status }),
          ...(args.kind === undefined ? {} : { kind: args.kind }),
          ...(args.member === undefined ? {} : { memberId: args.member }),
          ...(args.terminal === undefined ? {} : { terminalId: args.terminal }),
          ...(args.store === undefined ? {} : { storeId: args.store }),
          ...(args.after === undefined ? {} : { after: args.after }),
          limit: args.limit,
        });
        if (args.json) {
          line(io.stdout, JSON.stringify(page, null, 2));
          return EXIT.ok;
        }
        if (page.items.length === 0) {
          line(io.stdout, `No ${args.status === 'all' ? '' : `${args.status} `}review items match.`);
          return EXIT.ok;
        }
        line(
          io.stdout,
          table(
            ['#', 'kind', 'created', 'member', 'terminal', 'status', 'summary'],
            page.items.map((i) => [
              String(i.id),
              i.kind,
              i.createdAt,
              i.memberId ?? '',
              i.terminalId ?? '',
              i.decision ?? i.status,
              reviewSummary(i),
            ]),
          ),
        );
        if (page.next !== null) line(io.stdout, `More: add --after ${page.next}`);
        return EXIT.ok;
      },
      { readOnly: true },
    );
  },
};

const reviewsShow: Command = {
  path: ['reviews', 'show'],
  args: ['<id>'],
  options: { json: { type: 'boolean' } },
  summary: 'show one review item with its details and resolution',
  help: '  --json     machine-readable output',
  parse: (values, positionals) => {
    const [id] = positional(positionals, ['<id>']);
    return { id: reviewId(id!), ...check(z.object({ json: z.boolean().optional() }), values) };
  },
  async run(ctx, args: { id: number; json?: boolean }) {
    const { io } = ctx;
    return withDb(
      io,
      async (db) => {
        const item = await getReview(db, args.id);
        if (!item) throw new UserError(new UnknownReviewError(args.id).message);
        if (args.json) {
          line(io.stdout, JSON.stringify(item, null, 2));
          return EXIT.ok;
        }
        const held = heldPoints(item);
        line(io.stdout, `Review item #${item.id}: ${item.kind}, ${item.status}`);
        line(io.stdout, `  created    ${item.createdAt}`);
        if (item.memberId) line(io.stdout, `  member     ${item.memberId}`);
        if (item.terminalId) line(io.stdout, `  terminal   ${item.terminalId}`);
        if (item.eventId) line(io.stdout, `  event      ${item.eventId}`);
        if (held > 0)
          line(
            io.stdout,
            item.status === 'open'
              ? `  holds      ${int(held)} points (approving credits them; rejecting credits nothing)`
              : `  held       ${int(held)} points`,
          );
        line(io.stdout, `  details    ${JSON.stringify(item.details)}`);
        if (item.status === 'resolved') {
          line(
            io.stdout,
            `  decision   ${item.decision ?? 'resolved'} by ${item.resolvedBy ?? '?'} at ${item.resolvedAt ?? '?'}`,
          );
          if (item.note) line(io.stdout, `  note       ${item.note}`);
          if (item.creditEventId) line(io.stdout, `  credited   event ${item.creditEventId}`);
        }
        return EXIT.ok;
      },
      { readOnly: true },
    );
  },
};

/** approve and reject: the same options; the store decides what each does. */
function reviewDecisionCommand(decision: 'approve' | 'reject'): Command {
  return {
    path: ['reviews', decision],
    args: ['<id>'],
    options: { note: { type: 'string' }, by: { type: 'string' } },
    summary:
      decision === 'approve'
        ? 'approve a review item (credits the points it holds to its member)'
        : 'reject a review item (credits nothing)',
    help: `${
      decision === 'approve'
        ? `An item holding points (an over-claim HQ applied at the program's figure) credits them to its member as
an HQ points-adjusted event (reason correction); other items are just marked approved.`
        : 'The item is closed as rejected: nothing is credited. Say why with --note.'
    }
An item resolved already is refused (exit code 1) and nothing changes.

  --note "…"      why (${decision === 'reject' ? 'required' : 'recommended'}; kept on the item, and on the credit)
  --by <name>     who decides (default: $USER)`,
    parse: (values, positionals) => {
      const [id] = positional(positionals, ['<id>']);
      return {
        id: reviewId(id!),
        ...check(
          z.object({
            note:
              decision === 'reject'
                ? z.string().trim().min(1, 'say why').max(500)
                : z.string().trim().max(500).optional(),
            by: z.string().trim().min(1).max(80).optional(),
          }),
          values,
        ),
      };
    },
    async run(ctx, args: { id: number; note?: string; by?: string }) {
      const { io } = ctx;
      const by = args.by ?? io.env.USER;
      if (by === undefined || by.trim().length === 0)
        throw new UsageError('--by is required: say who decides (USER is not set)');
      return withDb(io, async (db) => {
        const input = { by, note: args.note ?? null };
        const item = await reviewStoreCall(() =>
          decision === 'approve'
            ? approveReview(db, args.id, input, ctx.clock)
            : rejectReview(db, args.id, input, ctx.clock),
        );
        const held = heldPoints(item);
        line(
          io.stdout,
          `Review item #${item.id} (${item.kind}) ${item.decision ?? 'resolved'} by ${item.resolvedBy ?? by}` +
            (item.creditEventId
              ? `: ${int(held)} points credited to member ${item.memberId ?? '?'} (event ${item.creditEventId}).`
              : held > 0
                ? `: the ${int(held)} points it held are not credited.`
                : '.'),
        );
        return EXIT.ok;
      });
    },
  };
}

const seed: Command = {
  path: ['seed', 'demo'],
  args: [],
  options: { seed: { type: 'string' }, members: { type: 'string' } },
  summary: 'fill an empty HQ with demo stores, program, cashiers, members and products',
  help: `Seeds 3 stores, the GreenBasket grocery program, a manager and two cashiers per store (PINs printed),
members with EAN-13 cards (prefix 049) and some purchase history, 100 products with valid GTINs, an admin
token and an enrollment code. The same --seed gives the same data. On an HQ seeded already it does
nothing; on an HQ holding other data it refuses.

  --seed <n>        default 1
  --members <n>     default 3000`,
  parse: (values, positionals) => {
    positional(positionals, []);
    return check(
      z.object({ seed: intOption(0, 2 ** 31).optional(), members: intOption(1, 200_000).optional() }),
      values,
    );
  },
  async run(ctx, args: { seed?: number; members?: number }) {
    const { io } = ctx;
    return withDb(io, async (db) => {
      const result = await seedDemo(db, ctx.clock, {
        ...(args.seed === undefined ? {} : { seed: args.seed }),
        ...(args.members === undefined ? {} : { members: args.members }),
        onProgress: (message) => line(io.stderr, message),
      });
      if (result.status === 'already-seeded') {
        line(io.stdout, `HQ already holds the demo data (seeded ${result.seededAt}): nothing to do.`);
        return EXIT.ok;
      }
      const s = result.summary;
      line(
        io.stdout,
        `Seeded the demo: ${s.program.id} v${s.program.version}, ${s.stores.length} stores, ${int(s.members)} members, ${int(s.events)} events, ${int(s.products)} products.`,
      );
      if (s.flagged > 0)
        line(io.stderr, `warning: HQ flagged ${int(s.flagged)} demo events for review (see: report reviews)`);
      line(io.stdout);
      line(
        io.stdout,
        table(
          ['store', 'cashier', 'role', 'PIN'],
          s.cashiers.map((c) => [c.storeId, c.name, c.role, c.pin]),
        ),
      );
      line(io.stdout);
      line(io.stdout, `Sample member cards: ${s.sampleCards.join(', ')}`);
      line(io.stdout, `Admin token: ${s.adminToken}`);
      line(
        io.stdout,
        `Enrollment code for ${s.enrollment.storeId}: ${s.enrollment.code} (valid until ${s.enrollment.expiresAt})`,
      );
      return EXIT.ok;
    });
  },
};

export const COMMANDS: readonly Command[] = [
  serve,
  migrateCommand,
  publish,
  membersImport,
  productsImport,
  storeAdd,
  storeList,
  storeSettings,
  terminalEnroll,
  cashierAdd,
  adminToken,
  jobsRun,
  report,
  reviewsList,
  reviewsShow,
  reviewDecisionCommand('approve'),
  reviewDecisionCommand('reject'),
  ...CONSOLE_USER_COMMANDS,
  seed,
];
