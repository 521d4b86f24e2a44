// The console's fleet handlers (endpoints in src-shared/console/fleet.ts): stores, terminals and cashiers,
// through the same store functions as the admin API and the CLI. Every handler scopes by the user's
// stores first (a store manager gets 403 outside theirs), and a terminal or cashier is always looked up
// within the store of the path, so an id from another store is a 404 and never acted on. Secrets (an
// enrollment code, a PIN) are answered once and never audited.
import { randomBytes } from 'node:crypto';
import type { fleetEndpoints } from '../../../src-shared/console/fleet.js';
import { uuidv7Factory } from '../../../src-shared/kernel/ids.js';
import { addCashier, CashierExistsError, chainPinLength } from '../../store/catalog.js';
import {
  changeCashier,
  getFleetStore,
  isStoreTerminal,
  listFleetStores,
  listFleetTerminals,
  listStoreCashiers,
  makePin,
  setCashierPin,
  UnknownCashierError,
} from '../../store/fleet.js';
import { createStore, getStoreSettings, setStoreSettings, UnknownStoreError } from '../../store/stores.js';
import { createEnrollmentCode, revokeTerminal } from '../../store/terminals.js';
import { HttpError } from '../errors.js';
import { assertStore, storeScope, type Handlers } from './call.js';

/** The fleet store's refusals HQ's error mapping does not know (errors.ts maps the shared ones). */
async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownCashierError) throw new HttpError(404, 'unknown-cashier', error.message);
    if (error instanceof CashierExistsError) throw new HttpError(409, 'cashier-exists', error.message);
    throw error;
  }
}

const unknownTerminal = (id: string): HttpError =>
  new HttpError(404, 'unknown-terminal', `This store has no terminal ${JSON.stringify(id)}.`);

export const fleetHandlers: Handlers<typeof fleetEndpoints> = {
  listStores: async ({ db, user }) => ({ stores: await listFleetStores(db, storeScope(user)) }),

  createStore: async ({ db, body, audit }) => {
    audit.target(`store ${body.id}`);
    const store = await createStore(db, body);
    audit.details({ name: store.name, timeZone: store.timeZone, country: store.country });
    const made = await getFleetStore(db, store.id);
    if (!made) throw new UnknownStoreError(store.id);
    return made;
  },

  getStore: async ({ db, user, params }) => {
    assertStore(user, params.storeId);
    const store = await getFleetStore(db, params.storeId);
    if (!store) throw new UnknownStoreError(params.storeId);
    return { store, settings: await getStoreSettings(db, store.id) };
  },

  changeStoreSettings: async ({ db, user, params, body, audit }) => {
    audit.target(`store ${params.storeId}`);
    assertStore(user, params.storeId);
    const { reason: _reason, ...change } = body;
    audit.details({ change });
    return { settings: await setStoreSettings(db, params.storeId, change) };
  },

  listTerminals: async ({ db, clock, user, params }) => {
    assertStore(user, params.storeId);
    if (!(await getFleetStore(db, params.storeId))) throw new UnknownStoreError(params.storeId);
    return {
      terminals: await listFleetTerminals(db, params.storeId, clock),
      now: new Date(clock.now()).toISOString(),
    };
  },

  createEnrollmentCode: async ({ db, clock, user, params, body, audit }) => {
    audit.target(`store ${params.storeId}`);
    assertStore(user, params.storeId);
    const { code, expiresAt } = await createEnrollmentCode(
      db,
      params.storeId,
      clock,
      body.ttlHours === undefined ? {} : { ttlHours: body.ttlHours },
    );
    // The code is a credential until used: answered once (no-store), audited by its expiry only.
    audit.details({ expiresAt });
    return { storeId: params.storeId, code, expiresAt };
  },

  revokeTerminal: async ({ db, clock, hub, user, params, audit }) => {
    audit.target(`terminal ${params.terminalId}`);
    assertStore(user, params.storeId);
    if (!(await isStoreTerminal(db, params.storeId, params.terminalId)))
      throw unknownTerminal(params.terminalId);
    const revoked = await revokeTerminal(db, params.terminalId, clock);
    if (!revoked) throw unknownTerminal(params.terminalId);
    // Its live stream ends now (on this HQ process; on others its next request is refused).
    hub.disconnectTerminal(params.terminalId);
    audit.details({ storeId: params.storeId, revokedAt: revoked.revokedAt });
    return revoked;
  },

  listCashiers: async ({ db, user, params }) => {
    assertStore(user, params.storeId);
    if (!(await getFleetStore(db, params.storeId))) throw new UnknownStoreError(params.storeId);
    return { cashiers: await listStoreCashiers(db, params.storeId), pinLength: await chainPinLength(db) };
  },

  addCashier: async ({ db, clock, user, params, body, audit }) => {
    audit.target(`store ${params.storeId}`);
    assertStore(user, params.storeId);
    const id = uuidv7Factory(clock, (n) => randomBytes(n))();
    const cashier = await mapped(
      addCashier(db, { id, storeId: params.storeId, name: body.name, role: body.role, pin: body.pin }),
    );
    audit.target(`cashier ${cashier.id}`);
    audit.details({ storeId: params.storeId, name: cashier.name, role: cashier.role });
    return { id: cashier.id, name: cashier.name, role: cashier.role, disabled: false };
  },

  changeCashier: async ({ db, user, params, body, audit }) => {
    audit.target(`cashier ${params.cashierId}`);
    assertStore(user, params.storeId);
    const { reason: _reason, ...change } = body;
    const { cashier, changed } = await mapped(changeCashier(db, params.storeId, params.cashierId, change));
    audit.details({
      storeId: params.storeId,
      changed: Object.fromEntries(changed.map((k) => [k, cashier[k]])),
    });
    return cashier;
  },

  resetCashierPin: async ({ db, user, params, body, audit }) => {
    audit.target(`cashier ${params.cashierId}`);
    assertStore(user, params.storeId);
    const pin = body.pin ?? makePin(await chainPinLength(db));
    const cashier = await mapped(setCashierPin(db, params.storeId, params.cashierId, pin));
    // Never the PIN itself: only whether HQ made it.
    audit.details({ storeId: params.storeId, madeByHq: body.pin === undefined });
    return { cashier, pin: body.pin === undefined ? pin : null };
  },
};
