// The chain's PIN length: HQ refuses a new PIN outside the current program's staff.pinLength (4–8 digits
// before any program says otherwise), and keeps only the hash, which listStaffPins gives to terminals' main.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { addCashier, chainPinLength, listStaffPins } from '../../../src-hq/store/catalog.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { verifyPin } from '../../../src-shared/kernel/pin.js';
import { databases, testDatabase } from '../../support/databases.js';
import { storeTestProgram, terminalWithFactory, uniq } from './helpers.js';

describe.each(databases)('cashier PINs on %s', (_name, open) => {
  const db = testDatabase(open, async () => undefined);

  it("takes 4 to 8 digits before a program sets a length, then the program's range only", async () => {
    const { terminal } = await terminalWithFactory(db);
    const add = (pin: string) =>
      addCashier(
        db,
        { id: uniq('c'), storeId: terminal.storeId, name: 'Ana', role: 'cashier', pin },
        { pinCost: 16 },
      );
    expect(await chainPinLength(db)).toEqual({ min: 4, max: 8 });
    await expect(add('123')).rejects.toThrow(ZodError);
    await add('1234');
    await add('12345678');

    await publishProgram(db, storeTestProgram({ staff: { pinLength: { min: 6, max: 6 } } }));
    expect(await chainPinLength(db)).toEqual({ min: 6, max: 6 });
    await expect(add('1234')).rejects.toThrow(/a PIN is 6 digits/);
    await expect(add('12345678')).rejects.toThrow(/a PIN is 6 digits/);
    const six = await add('246813');
    const stored = (await listStaffPins(db, terminal.storeId)).find((p) => p.id === six.id);
    expect(stored && verifyPin('246813', stored.pinHash)).toBe(true);
    expect(six).not.toHaveProperty('pinHash');
  });

  it('refuses a program whose PIN length is outside 4–8 or upside down', () => {
    expect(() => storeTestProgram({ staff: { pinLength: { min: 3, max: 6 } } })).toThrow();
    expect(() => storeTestProgram({ staff: { pinLength: { min: 6, max: 9 } } })).toThrow();
    expect(() => storeTestProgram({ staff: { pinLength: { min: 7, max: 5 } } })).toThrow();
  });
});
