// The sale screen's basket, remembered across a page reload (counter-memory.ts): restored for the same
// member, written on every change, forgotten when the sale screen goes away (recorded, cancelled, or the
// counter went idle).
import { useEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import type { SaleLine } from './basket.js';
import { forgetBasket, nextKeyedSeq, readBasket, sessionMemory, writeBasket } from './counter-memory.js';

/** The lines, their setter, and the last keyed line number used (for the next keyed line's key). */
export function useSaleBasket(
  memberId: string,
  firstLine: SaleLine | null,
): [SaleLine[], Dispatch<SetStateAction<SaleLine[]>>, RefObject<number>] {
  const [lines, setLines] = useState<SaleLine[]>(() =>
    firstLine ? [firstLine] : readBasket(sessionMemory(), memberId),
  );
  const seq = useRef(nextKeyedSeq(lines));
  useEffect(() => writeBasket(sessionMemory(), memberId, lines), [memberId, lines]);
  // A reload never unmounts: this runs only when the sale screen really goes away.
  useEffect(() => () => forgetBasket(sessionMemory()), []);
  return [lines, setLines, seq];
}
