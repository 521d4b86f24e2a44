// No English left in the counter: in every TSX file of src-renderer (a new one included, found by walking
// the folder), no JSX text with letters and no literal string with letters in an attribute a person reads
// (label, title, alt, placeholder, aria-label, the confirmation sheet's labels) — every word goes through
// t(). A file that regresses fails here with its line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every TSX file of the renderer (the cashier's page and the customer display): all of them are translated. */
function rendererFiles(dir = join(ROOT, 'src-renderer')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return rendererFiles(path);
    return entry.name.endsWith('.tsx') ? [relative(ROOT, path)] : [];
  });
}
const TRANSLATED = rendererFiles();

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

  it('walks every renderer file', () => {
    expect(TRANSLATED).toContain('src-renderer/screens/sale-screen.tsx');
    expect(TRANSLATED).toContain('src-renderer/customer/customer-app.tsx');
  });

  it.each(TRANSLATED)('%s has every word through t()', (path) => {
    expect(untranslated(readFileSync(join(ROOT, path), 'utf8'), path)).toEqual([]);
  });
});
