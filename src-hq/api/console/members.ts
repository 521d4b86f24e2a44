// The console's members handlers (endpoints in src-shared/console/members.ts).
import type { membersEndpoints } from '../../../src-shared/console/members.js';
import type { Handlers } from './call.js';

export const membersHandlers: Handlers<typeof membersEndpoints> = {};
