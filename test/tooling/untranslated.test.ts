// No English left in the translated parts of the counter: in each file listed in TRANSLATED, no JSX text
// with letters and no literal string with letters in an attribute a person reads (label, title, alt,
// placeholder, aria-label, the confirmation sheet's labels) — every word goes through t(). The list grows
// as screens are translated; a file on it that regresses fails here with its line.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The renderer files whose every word is translated (src-renderer/i18n). */
const TRANSLATED = [
  'src-renderer/screens/boot-screen.tsx',
  'src-renderer/screens/enroll-terminal-screen.tsx',
  'src-renderer/components/replication-progress.tsx',
  'src-renderer/components/status-bar.tsx',
  'src-renderer/components/devices-panel.tsx',
  'src-renderer/components/sync-queue-panel.tsx',
  'src-renderer/components/day-close-panel.tsx',
  'src-renderer/components/shift-summary-panel.tsx',
  'src-renderer/screens/sign-in-screen.tsx',
  'src-renderer/screens/idle-screen.tsx',
  'src-renderer/screens/enroll-screen.tsx',
  'src-renderer/components/staff-pin-form.tsx',
  'src-renderer/components/pin-pad.tsx',
  'src-renderer/components/keypad.tsx',
  'src-renderer/components/manager-approval-dialog.tsx',
  'src-renderer/components/messages.tsx',
  'src-renderer/components/member-card.tsx',
  'src-renderer/components/confirm-dialog.tsx',
  'src-renderer/app.tsx',
  'src-renderer/screens/manager-screen.tsx',
  'src-renderer/components/adjust-panel.tsx',
  'src-renderer/components/void-panel.tsx',
  'src-renderer/components/return-panel.tsx',
  'src-renderer/screens/plans-actions-screen.tsx',
  'src-renderer/screens/member-screen.tsx',
  'src-renderer/screens/sale-screen.tsx',
  'src-renderer/screens/redeem-screen.tsx',
  'src-renderer/components/balance-panel.tsx',
  'src-renderer/components/tier-progress.tsx',
  'src-renderer/components/rewards-overview.tsx',
  'src-renderer/components/quote-panel.tsx',
  'src-renderer/components/member-history.tsx',
  'src-renderer/components/slip-view.tsx',
  'src-renderer/customer/customer-app.tsx',
];

const READ_ATTRIBUTES = new Set([
  'label',
  'title',
  'alt',
  'placeholder',
  'aria-label',
  'confirmLabel',
  'cancelLabel',
  'personLabel',
  'pinLabel',
  'submitLabel',
]);
const hasWords = (text: string): boolean => /\p{L}{2,}/u.test(text);

/** Each English word left in a TSX source, as `line: text`. */
function untranslated(source: string, fileName = 'file.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what.trim()}`);
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) at(node, node.text);
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(file))) {
      const value = node.initializer;
      if (value && ts.isStringLiteral(value) && hasWords(value.text)) at(node, value.text);
      if (value && ts.isJsxExpression(value) && value.expression) {
        const inner = value.expression;
        if ((ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) && hasWords(inner.text))
          at(node, inner.text);
      }
    }
    // A string with words as a JSX child: {'Sign out'} or {cond ? 'Yes' : 'No'}.
    if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)) {
      const literals: ts.Node[] = [node.expression];
      while (literals.length > 0) {
        const e = literals.pop() as ts.Node;
        if ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && hasWords(e.text))
          at(e, e.text);
        if (ts.isConditionalExpression(e)) literals.push(e.whenTrue, e.whenFalse);
        if (ts.isBinaryExpression(e)) literals.push(e.left, e.right);
        if (ts.isParenthesizedExpression(e)) literals.push(e.expression);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('untranslated words', () => {
  it('finds the words a person reads and only those', () => {
    const found = untranslated(`
      const x = <section aria-labelledby="devices-title" className="panel">
        <h2>Devices</h2>
        <p title="Full reason">{t('a.b')} · {count}</p>
        <Field label={'Name'} error={errors.name} />
        <span>{ok ? 'Connected' : t('x')}</span>
        <span>{' · '}</span>
      </section>;
    `);
    expect(found).toEqual(['3: Devices', '4: Full reason', '5: Name', '6: Connected']);
  });

  it.each(TRANSLATED)('%s has every word through t()', (path) => {
    expect(untranslated(readFileSync(join(ROOT, path), 'utf8'), path)).toEqual([]);
  });
});
