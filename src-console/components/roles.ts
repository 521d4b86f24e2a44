// The roles as people read them.
import type { ConsoleRole } from '../../src-shared/console/endpoint.js';

export const ROLE_LABELS: Readonly<Record<ConsoleRole, string>> = {
  admin: 'Administrator',
  'program-manager': 'Program manager',
  analyst: 'Analyst',
  'store-manager': 'Store manager',
};
