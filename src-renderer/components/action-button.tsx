// A large touch button with its keyboard shortcut shown on it. The shortcut label is hidden from
// assistive technology (it is announced through aria-keyshortcuts instead), so the button's accessible
// name stays exactly its words: "New sale", not "New sale F2".
import { useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { useHotkey } from '../hooks/use-hotkey.js';
import { useCounterText } from '../i18n/index.js';

export interface ActionButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> {
  /** A KeyboardEvent.key: 'F2', 'Escape'… */
  hotkey?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'quiet';
  type?: 'button' | 'submit';
  children: ReactNode;
}

export function ActionButton({
  hotkey,
  variant = 'secondary',
  type = 'button',
  className,
  children,
  ...rest
}: ActionButtonProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const t = useCounterText();
  // Function keys read the same in every language; Escape has a name of its own ("Échap" in French).
  const keyLabel = (key: string): string => (key === 'Escape' ? t('refusals.keys.escape') : key);
  useHotkey(hotkey, ref);
  return (
    <button
      ref={ref}
      type={type}
      className={['button', `button-${variant}`, className].filter(Boolean).join(' ')}
      aria-keyshortcuts={hotkey}
      {...rest}
    >
      <span className="button-label">{children}</span>
      {hotkey ? (
        <kbd className="button-key" aria-hidden="true">
          {keyLabel(hotkey)}
        </kbd>
      ) : null}
    </button>
  );
}
