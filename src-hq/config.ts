// HQ configuration from the environment, validated: DATABASE_URL selects PostgreSQL, otherwise HQ
// runs on an embedded PGlite data folder.
import { z } from 'zod';

export const hqConfigSchema = z.object({
  DATABASE_URL: z.url().optional(),
  HQ_DATA_DIR: z.string().min(1).default('./data/hq'),
  HQ_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HQ_HOST: z.string().min(1).default('127.0.0.1'),
});
export type HqConfig = z.infer<typeof hqConfigSchema>;

export function loadHqConfig(env: Record<string, string | undefined>): HqConfig {
  const parsed = hqConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Bad HQ configuration:\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
