// An on-screen numeric keypad: touch-first tills often have no keyboard in reach. It edits the same value as
// the field it serves (a PIN, an amount, a phone number), so typing on a keyboard works as well, and a
// keyboard-wedge scanner is not affected: the keys are clicks, never key events. A key press keeps the
// focus where it was (the field), so the caret and a scan into the focused field behave as without it.
// Keys are at least 48 px (--target). 1–9 in rows, then [extra or Clear] 0 ⌫; with an extra key (the
// amount's decimal point) Clear gets a row of its own.
// Its words come from i18n.t rather than a hook: Keypad stays a plain function of its props (its tests call
// it so), and the language is the store's, set once when the page opens.
import { useCallback, useState, type MouseEvent } from 'react';
import { i18n, useCounterText } from '../i18n/index.js';

export interface KeypadProps {
  value: string;
  onChange: (value: string) => void;
  /** The group's accessible name: "PIN keypad", "Amount keypad". */
  label: string;
  /** At most this many characters (a PIN's length); no limit when absent. */
  maxLength?: number;
  /** One more key left of 0: "." for an amount. */
  extraKey?: string;
  /** The accessible names of Clear and ⌫. */
  clearLabel?: string;
  deleteLabel?: string;
  disabled?: boolean;
  /** Extra classes for the group and for each key (the PIN pad keeps its larger keys). */
  className?: string;
  keyClassName?: string;
  id?: string;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Pressing a key: `key` appended, within `maxLength`. Exported for the tests. */
export function pressKey(value: string, key: string, maxLength?: number): string {
  return maxLength !== undefined && value.length >= maxLength ? value : value + key;
}

/** ⌫: the last character off. */
export const deleteLast = (value: string): string => value.slice(0, -1);

/** A key press must not take the focus from the field: the field stays the one typed and scanned into. */
const keepFocus = (event: MouseEvent) => event.preventDefault();

export function Keypad(props: KeypadProps) {
  const { value, onChange, disabled, maxLength, extraKey } = props;
  const keyClass = ['keypad-key', props.keyClassName].filter(Boolean).join(' ');
  const actionClass = `${keyClass} keypad-key-action`;
  const key = (k: string) => (
    <button
      key={k}
      type="button"
      className={keyClass}
      disabled={disabled}
      onMouseDown={keepFocus}
      onClick={() => onChange(pressKey(value, k, maxLength))}
    >
      {k}
    </button>
  );
  const clear = (
    <button
      key="clear"
      type="button"
      className={extraKey ? `${actionClass} keypad-key-wide` : actionClass}
      disabled={disabled}
      aria-label={props.clearLabel ?? i18n.t('common.keypad.clear')}
      onMouseDown={keepFocus}
      onClick={() => onChange('')}
    >
      {i18n.t('common.keypad.clear')}
    </button>
  );
  return (
    <div
      className={['keypad', props.className].filter(Boolean).join(' ')}
      role="group"
      aria-label={props.label}
      id={props.id}
    >
      {DIGITS.map(key)}
      {extraKey ? key(extraKey) : clear}
      {key('0')}
      <button
        type="button"
        className={actionClass}
        disabled={disabled}
        aria-label={props.deleteLabel ?? i18n.t('common.keypad.deleteLast')}
        onMouseDown={keepFocus}
        onClick={() => onChange(deleteLast(value))}
      >
        ⌫
      </button>
      {extraKey ? clear : null}
    </div>
  );
}

/**
 * Whether the keypads start open: on a till whose main pointer is a finger (a touch screen). A keyboard till
 * starts with them closed, its fields as they were; the Keypad button opens them on either.
 */
export function touchFirst(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches === true;
}

/** A keypad's open state: open at first on a touch till (touchFirst), toggled by its Keypad button. */
export function useKeypadShown(): [boolean, () => void] {
  const [shown, setShown] = useState(touchFirst);
  const toggle = useCallback(() => setShown((s) => !s), []);
  return [shown, toggle];
}

/** The button that opens and closes a field's keypad; it leaves the focus in the field too. */
export function KeypadToggle(props: { shown: boolean; onToggle: () => void; controls: string }) {
  const t = useCounterText();
  return (
    <button
      type="button"
      className="button button-quiet keypad-toggle"
      aria-expanded={props.shown}
      // Only while the keypad is there: an id that names nothing is an error for assistive technology.
      aria-controls={props.shown ? props.controls : undefined}
      onMouseDown={keepFocus}
      onClick={props.onToggle}
    >
      {t('common.keypad.toggle')}
    </button>
  );
}
