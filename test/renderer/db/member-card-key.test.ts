// Members schema 0 → 1: a replica written before cardKey existed is migrated on open (the first card becomes
// the indexed cardKey), and its cards are found through the new index as well as through the old card index.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { describe, expect, it } from 'vitest';
import { CatalogReader } from '../../../src-renderer/db/catalog.js';
import { openDatabases } from '../../../src-renderer/db/databases.js';
import { memberRowFromDoc } from '../../../src-renderer/db/rows.js';
import { memberRowSchema, type MemberRow } from '../../../src-renderer/db/schemas.js';
import { memberDoc } from '../../support/browser-harness.js';

type V0Row = Omit<MemberRow, 'cardKey'>;

/** The members schema as version 0 had it: no cardKey. */
function version0(): RxJsonSchema<V0Row> {
  const { cardKey: _dropped, ...properties } = memberRowSchema.properties;
  return {
    ...memberRowSchema,
    version: 0,
    properties,
    required: (memberRowSchema.required as string[]).filter((f) => f !== 'cardKey'),
    indexes: ['nameKey', 'phoneKey'],
  } as unknown as RxJsonSchema<V0Row>;
}

const v0Row = (i: number, cards?: string[]): V0Row => {
  const {
    _deleted: _ignored,
    cardKey: _none,
    ...row
  } = memberRowFromDoc({
    ...memberDoc(i),
    ...(cards ? { cards } : {}),
  });
  return row;
};

describe('members schema version 1', () => {
  it('migrates a version-0 replica: cardKey is the first card, and lookups find every card', async () => {
    const indexedDB = new IDBFactory();
    const name = 'migrate-members';
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase<{ members: RxCollection<V0Row> }>({
      name: `${name}-catalog`,
      storage: wrappedValidateZSchemaStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) }),
      multiInstance: false,
      localDocuments: true,
    });
    await old.addCollections({ members: { schema: version0() } });
    await old.members.bulkInsert([v0Row(1), v0Row(2, ['2911', '2922']), v0Row(3, [])]);
    await old.close();

    const dbs = await openDatabases({ name, dev: true, indexedDB, IDBKeyRange });
    try {
      const rows = (await dbs.catalog.members.find({ sort: [{ id: 'asc' }] }).exec()).map(
        (d) => d.toJSON() as MemberRow,
      );
      expect(rows.map((r) => [r.id, r.cardKey])).toEqual([
        [memberDoc(1).id, memberDoc(1).cards[0]],
        [memberDoc(2).id, '2911'],
        [memberDoc(3).id, ''],
      ]);
      const reader = new CatalogReader(dbs.catalog);
      expect(await reader.cardOwners('2911')).toEqual([memberDoc(2).id]);
      expect(await reader.cardOwners(memberDoc(1).cards[0]!)).toEqual([memberDoc(1).id]);
      // The version-0 card index entry still counts; a card nobody holds finds nobody.
      await dbs.catalog.cards.insert({ number: '2922', memberId: memberDoc(2).id });
      expect(await reader.cardOwners('2922')).toEqual([memberDoc(2).id]);
      expect(await reader.cardOwners('2933')).toEqual([]);
      expect(await reader.cardOwners('')).toEqual([]);
    } finally {
      await dbs.close();
    }
  });
});
