// An administrator fixes a program file in one pass only if validation lists every problem, once, at its
// dotted path. The fixtures hold several problems each; the tests pin the exact set of paths.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatProblems,
  parseProgram,
  parseProgramJson,
  type Problem,
} from '../../../src-shared/program/parse.js';
import { MAX_POINTS } from '../../../src-shared/kernel/points.js';

const fixture = (name: string): string =>
  readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');

function problemsOf(text: string): Problem[] {
  const result = parseProgramJson(text);
  if (result.ok) throw new Error('expected the program to be refused');
  return result.error;
}

/** Paths sorted, duplicates kept: "one error per problem" means no path appears twice for one mistake. */
const pathsOf = (problems: readonly Problem[]): string[] => problems.map((p) => p.path).sort();

// The problems planted in fixtures/broken-program.json, each with the words its message must contain.
const planted: Record<string, RegExp> = {
  '': /Unrecognized key: "colour"/, // a key the schema does not know (a typo would be caught the same way)
  timeZone: /IANA time zone/, // "Europe/Pariss"
  'earning.rules.0.points': /too small/i, // -1 points
  'earning.rules.2.id': /duplicate id "weekend"/,
  'earning.rules.2.conditions.dateRange': /from is after/,
  'rewards.1.tiers.0': /unknown tier "diamond"/,
  'tiers.levels.2.threshold': /thresholds must increase/, // Gold 1000, Platinum 1000
  'offline.expiredHours': /expiredHours must exceed freshHours/, // fresh 48 h, expired 24 h
};

describe('a program file with several problems', () => {
  const problems = problemsOf(fixture('broken-program.json'));

  it('reports exactly one problem per mistake, at its path', () => {
    expect(pathsOf(problems)).toEqual(Object.keys(planted).sort());
  });

  it.each(Object.entries(planted))('explains the problem at "%s"', (path, message) => {
    expect(problems.find((p) => p.path === path)?.message).toMatch(message);
  });

  it('formats as "path: message" lines, naming the document for top-level problems', () => {
    const text = formatProblems(problems);
    expect(text.split('\n')).toHaveLength(problems.length);
    expect(text).toContain('earning.rules.0.points: ');
    expect(text).toContain('(document): Unrecognized key: "colour"');
  });
});

describe('a program file with an unknown rule kind among other problems', () => {
  // The same fixture plus a rule of kind "lottery" at earning.rules.3.
  const problems = problemsOf(fixture('broken-rule-kind.json'));

  it('reports the unknown kind at its path, listing the kinds that exist', () => {
    const kind = problems.find((p) => p.path === 'earning.rules.3.kind');
    expect(kind?.message).toMatch(/per-amount.*per-item.*per-visit.*fixed-bonus.*multiplier/);
  });

  it('still reports the problems inside well-formed fields', () => {
    expect(pathsOf(problems)).toEqual(
      expect.arrayContaining(['', 'timeZone', 'earning.rules.0.points', 'offline.expiredHours']),
    );
  });

  // zod skips refinements after a structural problem unless told otherwise; the program-wide checks run
  // regardless, so an administrator sees every problem in one pass.
  it('reports every problem in the same pass, cross-field checks included', () => {
    expect(pathsOf(problems)).toEqual([...Object.keys(planted), 'earning.rules.3.kind'].sort());
  });
});

describe('text that is not JSON', () => {
  it('is one problem for the whole document, saying where the JSON broke', () => {
    const problems = problemsOf(fixture('not-json.txt'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('');
    expect(problems[0]?.message).toMatch(/^not valid JSON: .*position \d+/);
  });

  it.each([
    ['an empty file', ''],
    ['a bare word', 'program'],
    ['a truncated object', '{"id": "x", "version": 1'],
  ])('%s is refused, not thrown', (_name, text) => {
    expect(pathsOf(problemsOf(text))).toEqual(['']);
  });
});

describe('documents that are JSON but not programs', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['a number', 42],
    ['a string', 'coffee'],
  ])('%s is one problem for the whole document', (_name, value) => {
    const result = parseProgram(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(pathsOf(result.error)).toEqual(['']);
  });

  it('an empty object names every missing required field', () => {
    const result = parseProgram({});
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(pathsOf(result.error)).toEqual(
        ['id', 'version', 'name', 'currency', 'timeZone', 'pointValue', 'earning', 'offline'].sort(),
      );
  });
});

describe('points beyond the bound', () => {
  it('are refused at their path, naming the bound, and the bound itself is accepted', () => {
    const input = JSON.parse(fixture('../../../../examples/programs/coffee-shop.json')) as Record<
      string,
      unknown
    >;
    const over = MAX_POINTS + 1;
    const result = parseProgram({
      ...input,
      bonuses: { welcome: over },
      adjustments: { caps: { manager: over, cashier: -1 } },
      offline: { ...(input.offline as object), allowanceCap: over },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(pathsOf(result.error)).toEqual([
      'adjustments.caps.cashier',
      'adjustments.caps.manager',
      'bonuses.welcome',
      'offline.allowanceCap',
    ]);
    expect(result.error.find((p) => p.path === 'bonuses.welcome')?.message).toBe(
      `at most ${MAX_POINTS} points`,
    );
    expect(parseProgram({ ...input, bonuses: { welcome: MAX_POINTS } }).ok).toBe(true);
  });

  it('are refused in rules, rewards, actions and plans', () => {
    const input = JSON.parse(fixture('../../../../examples/programs/paid-membership.json')) as {
      rewards: { cost: number }[];
      plans: { joinBonus: number }[];
    };
    const over = MAX_POINTS + 1;
    const bad = structuredClone(input);
    bad.rewards[0]!.cost = over;
    bad.plans[0]!.joinBonus = over;
    const result = parseProgram(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(pathsOf(result.error)).toEqual(['plans.0.joinBonus', 'rewards.0.cost']);
  });
});
