// GS1 element strings (GS1-128, DataBar, GS1 DataMatrix/QR/DotCode): application identifiers (AIs) followed
// by their data, FNC1 sent as GS. Parsed into typed fields so the POS reads a GTIN, a batch, a best-before
// date or a weighed price without knowing the encoding. Only the AIs a retail counter meets are known; any
// other AI is refused rather than guessed, since a wrong AI length would misread every field after it.
import { err, ok, type Result } from '../kernel/result.js';
import { hasValidCheckDigit } from './check-digits.js';

/** FNC1 as transmitted by scanners: the ASCII group separator. */
export const GS = '\u001d';

export type MeasureUnit = 'kg' | 'lb' | 'm' | 'm2' | 'l' | 'm3';

export interface Gs1Element {
  ai: string;
  /** GS1's short data title, e.g. `BEST BEFORE`. */
  label: string;
  /** The data as encoded. */
  value: string;
  /** Dates (AIs 11–17) as `YYYY-MM-DD`; a day `00` stands for the last day of the month. */
  date?: string;
  /** Measures and amounts: `units / 10^decimals`, exact. */
  decimal?: { units: number; decimals: number };
  unit?: MeasureUnit;
  /** AIs 391n/393n: the ISO 4217 numeric currency code, e.g. `978` for EUR. */
  currency?: string;
}

export interface Gs1Failure {
  reason: 'bad-gs1' | 'bad-check-digit';
  /** For logs and developers; names AIs and positions, never the data. */
  detail: string;
}

export interface Gs1Options {
  /** Resolves two-digit years to the window [referenceYear − 49, referenceYear + 50] (GS1 General Specifications 7.12). */
  referenceYear: number;
  /** GS1 QR codes may carry FNC1 as `%`; only set when the frame holds no GS. */
  percentIsSeparator?: boolean;
}

type AiKind = 'gtin' | 'sscc' | 'gln' | 'date' | 'measure' | 'amount' | 'amount-iso' | 'numeric' | 'text';

interface AiDef {
  label: string;
  /** Data length of a fixed-length AI. */
  fixed?: number;
  /** Maximum data length of a variable-length AI. */
  max?: number;
  numeric: boolean;
  kind: AiKind;
  unit?: MeasureUnit;
  decimals?: number;
}

const AIS = new Map<string, AiDef>();
const def = (ai: string, d: AiDef): void => void AIS.set(ai, d);
const fixedN = (label: string, fixed: number, kind: AiKind = 'numeric'): AiDef => ({
  label,
  fixed,
  numeric: true,
  kind,
});
const varX = (label: string, max: number): AiDef => ({ label, max, numeric: false, kind: 'text' });

def('00', fixedN('SSCC', 18, 'sscc'));
def('01', fixedN('GTIN', 14, 'gtin'));
def('02', fixedN('CONTENT', 14, 'gtin'));
def('10', varX('BATCH/LOT', 20));
def('11', fixedN('PROD DATE', 6, 'date'));
def('12', fixedN('DUE DATE', 6, 'date'));
def('13', fixedN('PACK DATE', 6, 'date'));
def('15', fixedN('BEST BEFORE', 6, 'date'));
def('16', fixedN('SELL BY', 6, 'date'));
def('17', fixedN('USE BY', 6, 'date'));
def('20', fixedN('VARIANT', 2));
def('21', varX('SERIAL', 20));
def('22', varX('CPV', 20));
def('240', varX('ADDITIONAL ID', 30));
def('241', varX('CUST. PART No.', 30));
def('250', varX('SECONDARY SERIAL', 30));
def('30', { label: 'VAR. COUNT', max: 8, numeric: true, kind: 'numeric' });
def('37', { label: 'COUNT', max: 8, numeric: true, kind: 'numeric' });
const measures: [string, string, MeasureUnit][] = [
  ['310', 'NET WEIGHT (kg)', 'kg'],
  ['311', 'LENGTH (m)', 'm'],
  ['312', 'WIDTH (m)', 'm'],
  ['313', 'HEIGHT (m)', 'm'],
  ['314', 'AREA (m²)', 'm2'],
  ['315', 'NET VOLUME (l)', 'l'],
  ['316', 'NET VOLUME (m³)', 'm3'],
  ['320', 'NET WEIGHT (lb)', 'lb'],
  ['330', 'GROSS WEIGHT (kg)', 'kg'],
];
for (const [prefix, label, unit] of measures)
  for (let n = 0; n <= 5; n++)
    def(`${prefix}${n}`, { label, fixed: 6, numeric: true, kind: 'measure', unit, decimals: n });
for (let n = 0; n <= 9; n++) {
  def(`390${n}`, { label: 'AMOUNT', max: 15, numeric: true, kind: 'amount', decimals: n });
  def(`391${n}`, { label: 'AMOUNT', max: 18, numeric: true, kind: 'amount-iso', decimals: n });
  def(`392${n}`, { label: 'PRICE', max: 15, numeric: true, kind: 'amount', decimals: n });
  def(`393${n}`, { label: 'PRICE', max: 18, numeric: true, kind: 'amount-iso', decimals: n });
}
def('400', varX('ORDER NUMBER', 30));
const glns = ['SHIP TO LOC', 'BILL TO', 'PURCHASE FROM', 'SHIP FOR LOC', 'LOC No.', 'PAY TO'];
glns.forEach((label, i) => def(`41${i}`, fixedN(label, 13, 'gln')));
def('422', fixedN('ORIGIN', 3));
def('7003', fixedN('EXPIRY TIME', 10));
def('8200', varX('PRODUCT URL', 70));
def('90', varX('INTERNAL', 30));
for (let n = 1; n <= 9; n++) def(`9${n}`, varX('INTERNAL', 90));

/**
 * AIs starting with these two digits have a predefined total length (AI included), so no FNC1 follows them
 * (GS1 General Specifications figure 7.8.5-2). Every other AI is ended by FNC1 unless it is the last.
 */
const PREDEFINED_LENGTH: Readonly<Record<string, number>> = {
  '00': 20,
  '01': 16,
  '02': 16,
  '03': 16,
  '04': 18,
  '11': 8,
  '12': 8,
  '13': 8,
  '14': 8,
  '15': 8,
  '16': 8,
  '17': 8,
  '18': 8,
  '19': 8,
  '20': 4,
  '31': 10,
  '32': 10,
  '33': 10,
  '34': 10,
  '35': 10,
  '36': 10,
  '41': 16,
};

/** GS1 AI encodable character set 82 (General Specifications figure 7.11-1). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * A GS1 YYMMDD date as `YYYY-MM-DD`. The century puts the year within −49/+50 years of `referenceYear`;
 * a day of `00` means the last day of the month. `undefined` if the month or day does not exist.
 */
export function resolveGs1Date(yymmdd: string, referenceYear: number): string | undefined {
  if (!/^\d{6}$/.test(yymmdd) || !Number.isSafeInteger(referenceYear) || referenceYear < 100)
    return undefined;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return undefined;
  let year = referenceYear - (referenceYear % 100) + yy;
  if (year - referenceYear > 50) year -= 100;
  else if (year - referenceYear < -49) year += 100;
  if (year > 9999) return undefined;
  const last = daysIn(year, mm);
  const day = dd === 0 ? last : dd;
  if (day > last) return undefined;
  return `${String(year).padStart(4, '0')}-${pad2(mm)}-${pad2(day)}`;
}

const bad = (detail: string): { ok: false; error: Gs1Failure } => err({ reason: 'bad-gs1', detail });

function element(ai: string, d: AiDef, value: string, options: Gs1Options): Result<Gs1Element, Gs1Failure> {
  if (d.fixed !== undefined && value.length !== d.fixed)
    return bad(`AI ${ai} needs ${d.fixed} characters, got ${value.length}`);
  if (d.max !== undefined && (value.length < 1 || value.length > d.max))
    return bad(`AI ${ai} takes 1 to ${d.max} characters, got ${value.length}`);
  if (d.numeric ? !/^\d+$/.test(value) : !CSET82.test(value))
    return bad(`AI ${ai} holds characters it does not allow`);
  const el: Gs1Element = { ai, label: d.label, value };
  switch (d.kind) {
    case 'gtin':
    case 'sscc':
    case 'gln':
      if (!hasValidCheckDigit(value))
        return err({ reason: 'bad-check-digit', detail: `AI ${ai} has a wrong check digit` });
      break;
    case 'date': {
      const date = resolveGs1Date(value, options.referenceYear);
      if (date === undefined) return bad(`AI ${ai} is not a valid date`);
      el.date = date;
      break;
    }
    case 'measure':
    case 'amount':
      el.decimal = { units: Number(value), decimals: d.decimals ?? 0 };
      if (d.unit !== undefined) el.unit = d.unit;
      break;
    case 'amount-iso':
      if (value.length < 4) return bad(`AI ${ai} needs a currency and an amount`);
      el.currency = value.slice(0, 3);
      el.decimal = { units: Number(value.slice(3)), decimals: d.decimals ?? 0 };
      break;
    case 'numeric':
    case 'text':
      break;
  }
  return ok(el);
}

function lookup(data: string, at: number): [string, AiDef] | undefined {
  for (const len of [2, 3, 4]) {
    const ai = data.slice(at, at + len);
    const d = AIS.get(ai);
    if (d !== undefined && ai.length === len) return [ai, d];
  }
  return undefined;
}

/** `(01)09501101020917(17)250800`: the human-readable form, as typed from the text under a barcode. */
function splitBracketed(data: string): Result<[string, string][], Gs1Failure> {
  const pairs: [string, string][] = [];
  const re = /\((\d{2,4})\)([^()]*)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < data.length && (m = re.exec(data)) !== null) pairs.push([m[1] ?? '', m[2] ?? '']);
  if (re.lastIndex !== data.length || pairs.length === 0) return bad('malformed bracketed element string');
  return ok(pairs);
}

/**
 * Parses a GS1 element string (the data after the AIM id; FNC1 as GS, or `%` in GS1 QR when
 * `percentIsSeparator`), or its bracketed human-readable form. Unknown AIs, wrong lengths, characters an AI
 * does not allow, impossible dates and wrong check digits (SSCC, GTIN, GLN) are failures.
 */
export function parseGs1(data: string, options: Gs1Options): Result<Gs1Element[], Gs1Failure> {
  const elements: Gs1Element[] = [];
  const add = (ai: string, d: AiDef, value: string): Gs1Failure | undefined => {
    const e = element(ai, d, value, options);
    if (!e.ok) return e.error;
    elements.push(e.value);
    return undefined;
  };
  if (data.startsWith('(')) {
    const pairs = splitBracketed(data);
    if (!pairs.ok) return pairs;
    for (const [ai, value] of pairs.value) {
      const d = AIS.get(ai);
      if (d === undefined) return bad(`unknown AI ${ai}`);
      const failure = add(ai, d, value);
      if (failure !== undefined) return err(failure);
    }
    return ok(elements);
  }
  const isSep = (c: string | undefined): boolean =>
    c === GS || (options.percentIsSeparator === true && c === '%');
  let i = 0;
  while (i < data.length) {
    // A leading FNC1 (some scanners send the symbol's first one) and doubled separators carry nothing.
    if (isSep(data[i])) {
      i++;
      continue;
    }
    const found = lookup(data, i);
    if (found === undefined) return bad(`unknown AI at position ${i}`);
    const [ai, d] = found;
    i += ai.length;
    let value: string;
    if (d.fixed !== undefined) {
      value = data.slice(i, i + d.fixed);
      if (value.length < d.fixed || [...value].some(isSep)) return bad(`AI ${ai} is cut short`);
      i += d.fixed;
      if (PREDEFINED_LENGTH[ai.slice(0, 2)] === undefined && i < data.length && !isSep(data[i]))
        return bad(`AI ${ai} must be followed by a separator`);
    } else {
      let j = i;
      while (j < data.length && !isSep(data[j])) j++;
      value = data.slice(i, j);
      i = j;
    }
    const failure = add(ai, d, value);
    if (failure !== undefined) return err(failure);
  }
  return elements.length > 0 ? ok(elements) : bad('no element');
}
