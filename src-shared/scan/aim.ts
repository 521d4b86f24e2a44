// AIM symbology identifiers (ISO/IEC 15424): a scanner configured to send them prefixes every frame with
// `]`, a code character and a modifier, which tells EAN from Code 128 from GS1 without guessing.
import { z } from 'zod';

/** Symbologies a result can name; `unknown` when the frame had no AIM id and the content did not say. */
export const symbologySchema = z.enum([
  'ean-13',
  'ean-8',
  'upc-a',
  'upc-e',
  'ean-add-on',
  'itf-14',
  'itf',
  'code-128',
  'code-39',
  'code-93',
  'codabar',
  'gs1-128',
  'gs1-databar',
  'gs1-datamatrix',
  'gs1-qr',
  'gs1-dotcode',
  'data-matrix',
  'qr',
  'pdf417',
  'aztec',
  'dotcode',
  'other',
  'unknown',
]);
export type Symbology = z.infer<typeof symbologySchema>;

export interface Aim {
  /** The three characters as sent, e.g. `]E0`. */
  id: string;
  code: string;
  modifier: string;
  symbology: Symbology;
  /** Only `]C1 ]e0 ]d2 ]Q3 ]J1` carry GS1 element strings. */
  gs1: boolean;
}

const GS1_IDS: Readonly<Record<string, Symbology>> = {
  ']C1': 'gs1-128',
  ']e0': 'gs1-databar',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']J1': 'gs1-dotcode',
};

const BY_CODE: Readonly<Record<string, Symbology>> = {
  A: 'code-39',
  C: 'code-128',
  d: 'data-matrix',
  e: 'gs1-databar',
  F: 'codabar',
  G: 'code-93',
  I: 'itf',
  L: 'pdf417',
  Q: 'qr',
  z: 'aztec',
  J: 'dotcode',
};

function symbologyOf(code: string, modifier: string): Symbology {
  if (code === 'E') {
    if (modifier === '4') return 'ean-8';
    if (modifier === '1' || modifier === '2') return 'ean-add-on';
    return 'ean-13';
  }
  if (code === 'I' && modifier === '1') return 'itf-14';
  return BY_CODE[code] ?? 'other';
}

/**
 * Splits an AIM symbology identifier off the front of a frame. Without one (the scanner was not set to send
 * it) `aim` is undefined and `rest` is the whole frame, and the caller infers the format from the content.
 */
export function parseAim(frame: string): { aim?: Aim; rest: string } {
  const m = /^\]([A-Za-z])([0-9A-Za-z])/.exec(frame);
  if (m === null) return { rest: frame };
  const [id, code = '', modifier = ''] = m;
  const gs1 = GS1_IDS[id];
  return {
    aim: { id, code, modifier, symbology: gs1 ?? symbologyOf(code, modifier), gs1: gs1 !== undefined },
    rest: frame.slice(3),
  };
}
