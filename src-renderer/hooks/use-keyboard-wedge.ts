// Listens for keyboard-wedge scans anywhere in the window and hands each one, classified by the same
// code as serial scans, to `onScan`. Keys of a recognised burst are kept out of focused text fields.
import { useEffect, useRef } from 'react';
import { classifyFrame, type ScanResult } from '../../src-shared/scan/index.js';
import type { CardPattern } from '../../src-shared/program/schema.js';
import { defaultWedgeOptions, WedgeDetector, type WedgeOptions } from './wedge-detector.js';

export function useKeyboardWedge(
  onScan: (result: ScanResult) => void,
  options: { cardPatterns: readonly CardPattern[]; referenceYear: number; wedge?: WedgeOptions },
): void {
  const latest = useRef({ onScan, options });
  latest.current = { onScan, options };
  useEffect(() => {
    const detector = new WedgeDetector((text) => {
      const { onScan: deliver, options: o } = latest.current;
      deliver(
        classifyFrame(text, {
          cardPatterns: o.cardPatterns,
          referenceYear: o.referenceYear,
          source: 'wedge',
        }),
      );
    }, options.wedge ?? defaultWedgeOptions);
    const listener = (event: KeyboardEvent) => {
      if (detector.key(event) !== 'typing') event.preventDefault();
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, [options.wedge]);
}
