// Keyboard shortcuts for the touch buttons (F-keys, Escape): a keyboard at the counter is faster than
// reaching for the screen. A shortcut clicks its button, so it does exactly what a touch does, and does
// nothing while the button is disabled or behind a dialog (inside an `inert` region).
import { useEffect, type RefObject } from 'react';

export function useHotkey(key: string | undefined, target: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!key) return;
    const listener = (event: KeyboardEvent) => {
      if (event.key !== key || event.defaultPrevented || event.repeat) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const element = target.current;
      if (!element || !element.isConnected || element.closest('[inert]')) return;
      // A modal <dialog> makes the rest of the page inert without an attribute: only its own buttons count.
      const modal = document.querySelector('dialog[open]');
      if (modal && !modal.contains(element)) return;
      if (element instanceof HTMLButtonElement && element.disabled) return;
      // Enter on another focused button (Cancel in a dialog) is that button's own press, not this shortcut.
      if (key === 'Enter' && event.target instanceof HTMLButtonElement && event.target !== element) return;
      event.preventDefault();
      element.click();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [key, target]);
}
