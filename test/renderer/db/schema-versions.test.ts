// The schema migration mechanism of the terminal's databases: stored rows move to a new schema version with
// the strategy written for it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { localEventRow } from '../../../src-renderer/db/rows.js';
import { eventRowSchema, type EventRow } from '../../../src-renderer/db/schemas.js';
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
});
