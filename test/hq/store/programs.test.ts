// Program versions: immutable, strictly increasing, one current per program; versions cached in memory.
import { describe, expect, it } from 'vitest';
import {
  currentProgram,
  currentProgramRef,
  programVersion,
  publishProgram,
} from '../../../src-hq/store/programs.js';
import { databases, testDatabase } from '../../support/databases.js';
import { testProgram } from '../../support/events.js';
import { lastChangeSeq, uniq } from './helpers.js';

describe.each(databases)('programs on %s', (_name, open) => {
  const db = testDatabase(open);

  const programId = () => uniq('p').toLowerCase();
  const counters = () => lastChangeSeq(db);

  it('publishes increasing versions, one current at a time, and refuses to reuse or go back', async () => {
    const id = programId();
    const v1 = testProgram({ id, version: 1 });
    const v3 = testProgram({ id, version: 3, name: 'Third' });
    const before = (await counters()) ?? 0;
    expect(await publishProgram(db, v1)).toEqual({ programId: id, version: 1 });
    expect(await counters()).toBe(before + 1);
    expect(await publishProgram(db, v3)).toEqual({ programId: id, version: 3 });
    // Both rows changed: v1 stopped being current, v3 is new.
    expect(await counters()).toBe(before + 3);
    await expect(publishProgram(db, testProgram({ id, version: 3 }))).rejects.toThrow(
      /version 3 cannot be published: version 3 is already published.*Publish it as version 4/s,
    );
    await expect(publishProgram(db, testProgram({ id, version: 2 }))).rejects.toThrow(/version 3/);
    expect(await currentProgram(db, id)).toEqual(v3);
    expect(await currentProgramRef(db, id)).toEqual({ programId: id, version: 3 });
    expect(await programVersion(db, id, 1)).toEqual(v1);
    expect(await programVersion(db, id, 2)).toBeNull();
    const rows = await db.query<{ version: number; current: boolean }>(
      'SELECT version, current FROM programs WHERE program_id = $1 ORDER BY version',
      [id],
    );
    expect(rows.rows).toEqual([
      { version: 1, current: false },
      { version: 3, current: true },
    ]);
  });

  it('refuses an invalid program, saying why', async () => {
    const bad = { ...testProgram({ id: programId() }), timeZone: '+01:00' };
    await expect(publishProgram(db, bad)).rejects.toThrow(/invalid program:\ntimeZone: an IANA time zone/);
  });

  it('keeps versions in memory once read (they never change)', async () => {
    const id = programId();
    const v1 = testProgram({ id, version: 1 });
    await publishProgram(db, v1);
    expect(await programVersion(db, id, 1)).toEqual(v1);
    await db.query(
      "UPDATE programs SET definition = jsonb_set(definition, '{name}', '\"Tampered\"') WHERE program_id = $1",
      [id],
    );
    expect((await programVersion(db, id, 1))?.name).toBe(v1.name);
  });

  it('finds the single current program, and refuses to guess between several', async () => {
    const fresh = await open();
    try {
      expect(await currentProgram(fresh.db)).toBeNull();
      const a = testProgram({ id: 'a-program', version: 2 });
      await publishProgram(fresh.db, a);
      expect(await currentProgram(fresh.db)).toEqual(a);
      await publishProgram(fresh.db, testProgram({ id: 'b-program' }));
      await expect(currentProgram(fresh.db)).rejects.toThrow(
        /Several programs are current \(a-program, b-program/,
      );
      expect(await currentProgram(fresh.db, 'a-program')).toEqual(a);
    } finally {
      await fresh.close();
    }
  });
});
