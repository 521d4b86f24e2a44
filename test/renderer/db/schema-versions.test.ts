// The schema migration mechanism of the terminal's databases: stored rows move to a new schema version with
// the strategy written for it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { localEventRow } from '../../../src-renderer/db/rows.js';
import {
  cashierRowSchema,
  eventRowSchema,
  migrationStrategies,
  type CashierRow,
  type EventRow,
} from '../../../src-renderer/db/schemas.js';
import { eventFactory } from '../../support/events.js';

describe('schema versions', () => {
  const dbs: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
  });

  it('migrates stored events to a new schema version with the strategy for it (the v1 mechanism)', async () => {
    const indexedDB = new IDBFactory();
    const storage = wrappedValidateZSchemaStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const event = eventFactory({ terminalId: 't-m' }).enrolled('m-1');
    const row: EventRow = localEventRow(event);
    const v0 = await createRxDatabase<{ events: RxCollection<EventRow> }>({
      name: 'migrate',
      storage,
      multiInstance: false,
    });
    dbs.push(v0);
    await v0.addCollections({ events: { schema: eventRowSchema } });
    await v0.events.insert(row);
    await v0.close();

    const v1 = await createRxDatabase<{ events: RxCollection<EventRow & { source: string }> }>({
      name: 'migrate',
      storage,
      multiInstance: false,
    });
    dbs.push(v1);
    await v1.addCollections({
      events: {
        schema: {
          ...eventRowSchema,
          version: 1,
          properties: { ...eventRowSchema.properties, source: { type: 'string' } },
        } as never,
        migrationStrategies: { 1: (old: EventRow) => ({ ...old, source: 'terminal' }) },
      },
    });
    const migrated = await v1.events.findOne(event.id).exec();
    expect(migrated?.toJSON()).toMatchObject({ id: event.id, source: 'terminal', event });
  });

  it('drops the PIN hash of cashiers a version-0 replica stored (cashiers v1)', async () => {
    const indexedDB = new IDBFactory();
    const storage = wrappedValidateZSchemaStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
    addRxPlugin(RxDBMigrationSchemaPlugin);
    type V0 = CashierRow & { pinHash: string };
    const v0 = await createRxDatabase<{ cashiers: RxCollection<V0> }>({
      name: 'cashiers',
      storage,
      multiInstance: false,
    });
    dbs.push(v0);
    // The version-0 schema, as the terminal shipped it before PINs moved to main.
    await v0.addCollections({
      cashiers: {
        schema: {
          ...cashierRowSchema,
          version: 0,
          properties: { ...cashierRowSchema.properties, pinHash: { type: 'string' } },
          required: ['id', 'storeId', 'name', 'role', 'pinHash'],
        } as never,
      },
    });
    const hash = 'scrypt$16$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5aw==';
    await v0.cashiers.insert({ id: 'mgr-1', storeId: 's-1', name: 'Mia K.', role: 'manager', pinHash: hash });
    await v0.close();

    const v1 = await createRxDatabase<{ cashiers: RxCollection<CashierRow> }>({
      name: 'cashiers',
      storage,
      multiInstance: false,
    });
    dbs.push(v1);
    await v1.addCollections({
      cashiers: { schema: cashierRowSchema, migrationStrategies: migrationStrategies.cashiers! },
    });
    const rows = (await v1.cashiers.find().exec()).map((d) => d.toJSON());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'mgr-1', storeId: 's-1', name: 'Mia K.', role: 'manager' });
    expect(rows[0]).not.toHaveProperty('pinHash');
    expect(JSON.stringify(rows)).not.toContain(hash);
    expect(Object.keys(cashierRowSchema.properties)).not.toContain('pinHash');
  });
});
