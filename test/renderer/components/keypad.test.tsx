// The counter's on-screen keypad (src-renderer/components/keypad.tsx) and the PIN pad built on it: pressing
// keys fills the value the field shows, ⌫ takes the last character off, Clear empties it, a PIN stops at its
// length, the amount keypad's "." gives an amount parseAmount takes, the phone keypad's "+" a country code.
// A key press keeps the focus in the field (its mousedown is prevented), so typing and a wedge scan into the
// focused field are as without the keypad. Keys are pressed as React would: through the rendered buttons'
// own onClick, with the value fed back as the screen's state does.
import { readFileSync } from 'node:fs';
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { parseAmount } from '../../../src-renderer/hooks/amount.js';
import {
  deleteLast,
  Keypad,
  KeypadToggle,
  pressKey,
  touchFirst,
  type KeypadProps,
} from '../../../src-renderer/components/keypad.js';
import { PinPad } from '../../../src-renderer/components/pin-pad.js';

interface ButtonProps {
  children?: ReactNode;
  'aria-label'?: string;
  disabled?: boolean;
  onClick?: () => void;
  onMouseDown?: (event: { preventDefault(): void }) => void;
}

/** The buttons of a rendered keypad, in their order on screen. */
function buttonsOf(node: ReactNode): ReactElement<ButtonProps>[] {
  if (Array.isArray(node)) return node.flatMap((n: ReactNode) => buttonsOf(n));
  if (!isValidElement<ButtonProps>(node)) return [];
  if (node.type === 'button') return [node];
  return buttonsOf(node.props.children);
}

const nameOf = (b: ReactElement<ButtonProps>): string =>
  b.props['aria-label'] ?? (typeof b.props.children === 'string' ? b.props.children : '');

/** A field's value driven by a keypad, as a screen holds it in its state. */
function field(props: Omit<KeypadProps, 'value' | 'onChange'>, initial = '') {
  let value = initial;
  const render = () => Keypad({ ...props, value, onChange: (next) => (value = next) });
  return {
    press(...names: string[]) {
      for (const name of names) {
        const key = buttonsOf(render()).find((b) => nameOf(b) === name);
        if (!key?.props.onClick) throw new Error(`no key ${name}`);
        key.props.onClick();
      }
    },
    keys: () => buttonsOf(render()).map(nameOf),
    buttons: () => buttonsOf(render()),
    get value() {
      return value;
    },
  };
}

describe('the keypad', () => {
  it('fills the amount field key by key; ⌫ takes the last off, Clear empties it', () => {
    const amount = field({ label: 'Amount keypad', extraKey: '.' });
    amount.press('1', '2', '.', '5', '0');
    expect(amount.value).toBe('12.50');
    expect(parseAmount(amount.value)).toEqual({ ok: true, value: 1250 });
    amount.press('Delete last character');
    expect(amount.value).toBe('12.5');
    amount.press('Clear');
    expect(amount.value).toBe('');
    // 1–9, the extra key, 0, ⌫, then Clear on a row of its own.
    expect(amount.keys()).toEqual([...'123456789', '.', '0', 'Delete last character', 'Clear']);
  });

  it('types a phone number with its country code into the search or the form', () => {
    const phone = field({ label: 'Phone keypad', extraKey: '+' }, '');
    phone.press('+', '3', '3', '6', '5', '5', '4', '4', '3', '3', '2', '2');
    expect(phone.value).toBe('+33655443322');
    // Typed on a keyboard first, the keypad goes on from there.
    const typed = field({ label: 'Phone keypad', extraKey: '+' }, '087 12');
    typed.press('3', 'Delete last character', '4');
    expect(typed.value).toBe('087 124');
  });

  it('keeps the focus in the field: every key prevents its mousedown', () => {
    const pad = field({ label: 'Phone keypad' });
    for (const key of pad.buttons()) {
      const preventDefault = vi.fn();
      key.props.onMouseDown?.({ preventDefault });
      expect(preventDefault, nameOf(key)).toHaveBeenCalledOnce();
    }
  });

  it('draws a named group of buttons that are not submit buttons, all off when disabled', () => {
    const html = renderToStaticMarkup(<Keypad label="Amount keypad" value="" onChange={() => {}} disabled />);
    expect(html).toContain('role="group"');
    expect(html).toContain('aria-label="Amount keypad"');
    expect(html.match(/<button/g)).toHaveLength(12);
    expect(html.match(/type="button"/g)).toHaveLength(12);
    expect(html.match(/disabled=""/g)).toHaveLength(12);
  });

  it('has keys of at least 48 px', () => {
    const css = readFileSync(new URL('../../../src-renderer/styles.css', import.meta.url), 'utf8');
    expect(css).toMatch(/--target: max\(48px,/);
    const rule = /\.keypad-key \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toContain('min-height: var(--target)');
    expect(rule).toContain('min-width: var(--target)');
  });

  it('pressKey and deleteLast: a limit is kept, an empty value stays empty', () => {
    expect(pressKey('123', '4', 4)).toBe('1234');
    expect(pressKey('1234', '5', 4)).toBe('1234');
    expect(pressKey('', '7')).toBe('7');
    expect(deleteLast('')).toBe('');
  });

  it('starts closed where there is no touch screen to ask (Node, a keyboard till)', () => {
    expect(touchFirst()).toBe(false);
  });

  it('the Keypad button says whether the keypad is open, and names it only while it is there', () => {
    const closed = renderToStaticMarkup(<KeypadToggle shown={false} onToggle={() => {}} controls="pad-1" />);
    expect(closed).toContain('aria-expanded="false"');
    expect(closed).not.toContain('aria-controls');
    const open = renderToStaticMarkup(<KeypadToggle shown onToggle={() => {}} controls="pad-1" />);
    expect(open).toContain('aria-expanded="true"');
    expect(open).toContain('aria-controls="pad-1"');
    expect(open).toContain('>Keypad</button>');
  });
});

describe('the PIN pad, built on the keypad', () => {
  /** PinPad renders a Keypad: its props are the keypad's, with the PIN's limits and words. */
  function pinField(maxLength: number) {
    const element = PinPad({ value: '', onChange: () => {}, maxLength }) as ReactElement<KeypadProps>;
    const { value: _v, onChange: _c, ...props } = element.props;
    return field(props);
  }

  it('stops at the PIN length, and has its own Clear PIN and Delete last digit', () => {
    const pin = pinField(4);
    pin.press('1', '2', '3', '4', '5', '6');
    expect(pin.value).toBe('1234');
    pin.press('Delete last digit');
    expect(pin.value).toBe('123');
    pin.press('Clear PIN');
    expect(pin.value).toBe('');
    expect(pin.keys()).toEqual([...'123456789', 'Clear PIN', '0', 'Delete last digit']);
  });

  it('is still the PIN keypad, with its larger keys', () => {
    const html = renderToStaticMarkup(<PinPad value="12" onChange={() => {}} maxLength={6} />);
    expect(html).toContain('aria-label="PIN keypad"');
    expect(html).toContain('class="keypad pin-pad"');
    expect(html.match(/class="keypad-key pin-key/g)).toHaveLength(12);
  });
});
