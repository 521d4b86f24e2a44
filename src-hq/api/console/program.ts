// The console's program handlers (endpoints in src-shared/console/program.ts).
import type { programEndpoints } from '../../../src-shared/console/program.js';
import type { Handlers } from './call.js';

export const programHandlers: Handlers<typeof programEndpoints> = {};
