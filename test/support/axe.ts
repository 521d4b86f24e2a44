// Accessibility checks of the counter's screens with axe-core, through @axe-core/playwright's AxeBuilder on
// the harness's playwright-core Page (the package's peer dependency is playwright-core itself, so it works
// with the Debian Chromium the tests drive; no downloaded browser).
//
// axe runs its default rule set (WCAG 2.0, 2.1 and 2.2 A and AA, and Deque's best practices) on the whole
// page as it is: the status bar, the screen, an open dialog. A serious or critical violation fails the
// test with what axe found and where (selector, the failing element's HTML, axe's summary); moderate and
// minor ones are kept in the report of the screen (axeReports) for a reader to look at.
//
//   await expectNoSeriousViolations(page, 'sale');
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type AxeViolation = AxeResults['violations'][number];

/** The impacts that fail a screen. */
export const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);

/** What axe said about a screen: the rules broken, by impact. */
export interface AxeReport {
  screen: string;
  failing: AxeViolation[];
  other: AxeViolation[];
}

/** Every screen checked in this process, in order (a test can assert that it covered what it meant to). */
export const axeReports: AxeReport[] = [];

/** A violation as a reader can act on it: the rule, its impact, and each element with axe's summary. */
export function describeViolation(v: AxeViolation): string {
  const nodes = v.nodes
    .slice(0, 5)
    .map(
      (n) =>
        `    ${n.target.join(' ')}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 200)}\n      ${(
          n.failureSummary ?? ''
        )
          .replace(/\s+/g, ' ')
          .trim()}`,
    )
    .join('\n');
  const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
  return `  ${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n${nodes}${more}`;
}

/** Runs axe on the page as it is now. */
export async function axeReport(page: Page, screen: string): Promise<AxeReport> {
  // Nothing half-way through a transition: axe measures contrast on the colours it reads.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const results = await new AxeBuilder({ page }).analyze();
  const failing = results.violations.filter((v) => v.impact != null && FAILING_IMPACTS.has(v.impact));
  const other = results.violations.filter((v) => !failing.includes(v));
  const report = { screen, failing, other };
  axeReports.push(report);
  return report;
}

/** Fails (throws) when axe finds a serious or critical violation on the page as it is now. */
export async function expectNoSeriousViolations(page: Page, screen: string): Promise<AxeReport> {
  const report = await axeReport(page, screen);
  if (report.failing.length > 0)
    throw new Error(
      `axe found ${report.failing.length} serious or critical accessibility violation(s) on the ` +
        `${screen} screen:\n${report.failing.map(describeViolation).join('\n')}`,
    );
  return report;
}
