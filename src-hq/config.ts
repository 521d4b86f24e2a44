// HQ configuration from the environment, validated: DATABASE_URL selects PostgreSQL, otherwise HQ
// runs on an embedded PGlite data folder. HQ_TRUST_PROXY names the TLS proxy in front of HQ (true for any,
// or its addresses / CIDR ranges): then X-Forwarded-Proto makes the console's cookie Secure and the client's
// address (X-Forwarded-For) is what rate limits count and the audit log keeps.
import { z } from 'zod';

export const hqConfigSchema = z.object({
  DATABASE_URL: z.url().optional(),
  HQ_DATA_DIR: z.string().min(1).default('./data/hq'),
  HQ_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HQ_HOST: z.string().min(1).default('127.0.0.1'),
  HQ_TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'true, false, or the proxy addresses (IPs or CIDR ranges, comma-separated)',
    )
    .optional()
    .transform((v): boolean | string =>
      v === undefined || v === 'false' ? false : v === 'true' ? true : v.split(/\s*,\s*/).join(','),
    ),
});
export type HqConfig = z.infer<typeof hqConfigSchema>;
/** What starting HQ needs: the configuration, with no proxy trusted when HQ_TRUST_PROXY is left out. */
export type HqServerConfig = Omit<HqConfig, 'HQ_TRUST_PROXY'> & Partial<Pick<HqConfig, 'HQ_TRUST_PROXY'>>;

export function loadHqConfig(env: Record<string, string | undefined>): HqConfig {
  const parsed = hqConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Bad HQ configuration:\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
