// Reading the catalog replica: the current program (parsed once per version), members by id, card, phone
// hash or name prefix, and products by GTIN or SKU.
import { pickCurrentProgram } from '../../src-shared/program/current.js';
import { BehaviorSubject, map, type Observable, type Subscription } from 'rxjs';
import type { Member } from '../../src-shared/ledger/member.js';
import { programSchema, type Program } from '../../src-shared/program/schema.js';
import type { ProductDoc } from '../../src-shared/sync/wire.js';
import type { CatalogDatabase } from './databases.js';
import { memberFromRow, nameKey, productFromRow } from './rows.js';
import {
  LOCAL_MEMBERS_BOOTSTRAP,
  pullCheckpointDocId,
  type CashierRow,
  type MemberRow,
  type ProgramRow,
} from './schemas.js';

export type Product = Omit<ProductDoc, '_deleted'>;

/** A member row as found in the replica. */
export interface ReplicaMember {
  member: Member;
  /** Enrolled at this terminal and not yet pulled from HQ (see MemberRow.provisional). */
  provisional: boolean;
}

const replicaMember = (row: MemberRow): ReplicaMember => ({
  member: memberFromRow(row),
  provisional: row.provisional,
});

export class CatalogReader {
  /** The current program, or null before one was pulled (or when the pulled one is invalid). */
  readonly program$ = new BehaviorSubject<Program | null>(null);
  /** Why the current program could not be used, in words; null when it is fine. */
  programProblem: string | null = null;
  private readonly parsed = new Map<string, Program>();
  private subscription: Subscription | null = null;
  private ready: Promise<void> | null = null;

  constructor(private readonly db: CatalogDatabase) {}

  /** Starts following the programs collection; resolves once the stored program was read. */
  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve) => {
      this.subscription = this.db.programs.find().$.subscribe((docs) => {
        this.setPrograms(docs.map((d) => d.toJSON() as ProgramRow));
        resolve();
      });
    });
    return this.ready;
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private setPrograms(rows: readonly ProgramRow[]): void {
    const row = pickCurrentProgram(rows);
    if (!row) {
      this.programProblem = 'No loyalty program has been received from HQ yet.';
      if (this.program$.value !== null) this.program$.next(null);
      return;
    }
    let program = this.parsed.get(row.id);
    if (!program) {
      const result = programSchema.safeParse(row.definition);
      if (!result.success) {
        this.programProblem = `Program ${row.id} from HQ is invalid: ${result.error.issues[0]?.message ?? ''}`;
        this.program$.next(null);
        return;
      }
      program = result.data;
      this.parsed.set(row.id, program);
    }
    this.programProblem = null;
    if (this.program$.value !== program) this.program$.next(program);
  }

  async program(): Promise<Program | null> {
    await this.start();
    return this.program$.value;
  }

  /**
   * A published version of the current program (a return re-quotes a sale under the version it was made
   * with), or null when the replica does not hold it or it does not parse.
   */
  async programVersion(version: number): Promise<Program | null> {
    const current = await this.program();
    if (current?.version === version) return current;
    const docs = await this.db.programs.find({ selector: { version } }).exec();
    const rows = docs.map((d) => d.toJSON() as ProgramRow);
    const row = rows.find((r) => r.programId === current?.id) ?? rows[0];
    if (!row) return null;
    const cached = this.parsed.get(row.id);
    if (cached) return cached;
    const result = programSchema.safeParse(row.definition);
    if (!result.success) return null;
    this.parsed.set(row.id, result.data);
    return result.data;
  }

  async member(id: string): Promise<ReplicaMember | null> {
    const doc = await this.db.members.findOne(id).exec();
    return doc ? replicaMember(doc.toJSON() as MemberRow) : null;
  }

  async members(ids: readonly string[]): Promise<Map<string, ReplicaMember>> {
    const found = await this.db.members.findByIds([...ids]).exec();
    const out = new Map<string, ReplicaMember>();
    for (const [id, doc] of found) out.set(id, replicaMember(doc.toJSON() as MemberRow));
    return out;
  }

  /**
   * The member ids a card number may belong to, best hint first (check the member really holds the card):
   * the card index entry (this terminal's own card changes, or a card beyond a member's first), then the
   * members whose first card it is (usually one; two while a moved card's old holder is not pulled yet).
   */
  async cardOwners(number: string): Promise<string[]> {
    if (number.length === 0) return [];
    const [entry, holders] = await Promise.all([
      this.db.cards.findOne(number).exec(),
      this.db.members.find({ selector: { cardKey: number }, limit: 4 }).exec(),
    ]);
    const ids = entry ? [entry.memberId] : [];
    for (const holder of holders) if (!ids.includes(holder.id)) ids.push(holder.id);
    return ids;
  }

  async membersByPhoneHash(hash: string, limit = 20): Promise<ReplicaMember[]> {
    const docs = await this.db.members.find({ selector: { phoneKey: hash }, limit }).exec();
    return docs.map((d) => replicaMember(d.toJSON() as MemberRow));
  }

  /** Members whose normalised display name starts with the normalised prefix, by name. */
  async membersByNamePrefix(prefix: string, limit = 20): Promise<ReplicaMember[]> {
    const key = nameKey(prefix);
    if (key.length === 0) return [];
    const docs = await this.db.members
      .find({
        selector: { nameKey: { $gte: key, $lt: `${key}\uffff` } },
        sort: [{ nameKey: 'asc' }],
        limit,
      })
      .exec();
    return docs.map((d) => replicaMember(d.toJSON() as MemberRow));
  }

  /** A product by GTIN (a scanned barcode) or by SKU. */
  async product(code: string): Promise<Product | null> {
    const trimmed = code.trim();
    if (/^\d{8,14}$/.test(trimmed)) {
      const byGtin = await this.db.products.findOne({ selector: { gtinKey: trimmed } }).exec();
      if (byGtin) return productFromRow(byGtin.toJSON());
    }
    const bySku = await this.db.products.findOne(trimmed).exec();
    return bySku ? productFromRow(bySku.toJSON()) : null;
  }

  async cashier(id: string): Promise<{ id: string; name: string; role: 'cashier' | 'manager' } | null> {
    const doc = await this.db.cashiers.findOne(id).exec();
    return doc ? { id: doc.id, name: doc.name, role: doc.role } : null;
  }

  /**
   * True while the members replica is not complete: nothing pulled yet, or a snapshot bootstrap under way
   * (src-renderer/replication/member-bootstrap.ts). A card or phone missing from the replica then says
   * nothing about HQ: ask HQ, or tell the cashier the till is still loading its members.
   */
  async membersBootstrapping(): Promise<boolean> {
    const checkpoint = await this.db.getLocal(pullCheckpointDocId('members'));
    if (!checkpoint) return true;
    const progress = await this.db.getLocal<{ complete: boolean }>(LOCAL_MEMBERS_BOOTSTRAP);
    return progress ? !progress.toJSON().data.complete : false;
  }

  /** Emits whenever the member's document is written (and once at once). */
  memberChanged$(id: string): Observable<void> {
    return this.db.members.findOne(id).$.pipe(map(() => undefined));
  }

  /** Every cashier and manager in the replica, as stored, again on every change. */
  cashiers$(): Observable<CashierRow[]> {
    return this.db.cashiers.find().$.pipe(map((docs) => docs.map((d) => d.toJSON() as CashierRow)));
  }

  /** The category of every product in the replica (one per product; RxDB has no "distinct"). */
  async productCategories(): Promise<string[]> {
    const docs = await this.db.products.find().exec();
    return docs.map((d) => d.category);
  }
}
