// The chain's messaging tool webhook: one URL and its signing secret. The secret is 32 random bytes made
// here and answered once, when made; it is stored as is because HQ signs every batch with it (an HMAC
// needs the key itself, a hash of it would sign nothing), and only its hint (the first characters of its
// SHA-256) is ever read back out.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import { sha256Hex } from '../../../src-shared/kernel/hash.js';
import type { Queryable } from '../../db/database.js';

export interface Webhook {
  url: string;
  secretHint: string;
  updatedAt: string;
  updatedBy: string;
}

/** What the delivery worker signs with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

const hintOf = (secret: string): string => `sha256:${sha256Hex(secret).slice(0, 12)}`;
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

type Row = { url: string; secret_hint: string; updated_at: string; updated_by: string };
const toWebhook = (r: Row): Webhook => ({
  url: r.url,
  secretHint: r.secret_hint,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function getWebhook(db: Queryable): Promise<Webhook | null> {
  const { rows } = await db.query<Row>(
    "SELECT url, secret_hint, updated_at, updated_by FROM engagement_webhook WHERE id = 'default'",
  );
  return rows[0] ? toWebhook(rows[0]) : null;
}

export async function webhookTarget(db: Queryable): Promise<WebhookTarget | null> {
  const { rows } = await db.query<WebhookTarget>(
    "SELECT url, secret FROM engagement_webhook WHERE id = 'default'",
  );
  return rows[0] ?? null;
}

/**
 * Sets the URL; makes a secret the first time or when `rotate` is asked, and answers it (null when the
 * secret is kept).
 */
export async function setWebhook(
  db: Queryable,
  input: { url: string; rotate: boolean; by: string },
  clock: Clock,
): Promise<{ webhook: Webhook; secret: string | null }> {
  const secret = newSecret();
  const at = new Date(clock.now()).toISOString();
  const { rows } = await db.query<Row & { rotated: boolean }>(
    `INSERT INTO engagement_webhook (id, url, secret, secret_hint, updated_at, updated_by)
     VALUES ('default', $1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by,
       secret = CASE WHEN $6::boolean THEN excluded.secret ELSE engagement_webhook.secret END,
       secret_hint = CASE WHEN $6::boolean THEN excluded.secret_hint ELSE engagement_webhook.secret_hint END
     RETURNING url, secret_hint, updated_at, updated_by, secret = $2 AS rotated`,
    [input.url, secret, hintOf(secret), at, input.by, input.rotate],
  );
  const row = rows[0]!;
  return { webhook: toWebhook(row), secret: row.rotated ? secret : null };
}

export async function removeWebhook(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM engagement_webhook WHERE id = 'default'");
  return rowCount > 0;
}
