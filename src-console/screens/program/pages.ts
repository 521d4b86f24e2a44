// The program area's pages: the program (versions, publications, drafts, upload), a draft (problems,
// diff, simulation, publishing) and a version (its diff and document). Read roles see them; the writes on
// them are for program managers and admins (the pages ask the endpoints' roles).
import { READ_ROLES } from '../../../src-shared/console/endpoint.js';
import type { ConsolePage } from '../../page.js';
import { DraftPage } from './draft-page.js';
import { ProgramPage } from './program-page.js';
import { VersionPage } from './version-page.js';

export const programPages: ConsolePage[] = [
  { path: 'program', title: 'Program', nav: true, roles: READ_ROLES, component: ProgramPage },
  { path: 'program/drafts/:id', title: 'Program draft', nav: false, roles: READ_ROLES, component: DraftPage },
  {
    path: 'program/versions/:version',
    title: 'Program version',
    nav: false,
    roles: READ_ROLES,
    component: VersionPage,
  },
];
