// The members area's pages: the search (every role; a store manager's stores only) and one member.
import { ANY_ROLE } from '../../../src-shared/console/endpoint.js';
import type { ConsolePage } from '../../page.js';
import { MemberPage } from './member-page.js';
import { MembersSearchPage } from './search-page.js';

export const membersPages: ConsolePage[] = [
  { path: 'members', title: 'Members', nav: true, roles: ANY_ROLE, component: MembersSearchPage },
  { path: 'members/:id', title: 'Member', nav: false, roles: ANY_ROLE, component: MemberPage },
];
