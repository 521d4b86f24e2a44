// The users area's pages (administrators only, like its endpoints): the users, one user, adding one, and
// the audit log.
import type { ConsolePage } from '../../page.js';
import { AuditPage } from './audit-page.js';
import { NewUserPage } from './new-user-page.js';
import { UserPage } from './user-page.js';
import { UsersPage } from './users-page.js';

const ADMIN = ['admin'] as const;

export const usersPages: ConsolePage[] = [
  { path: 'users', title: 'Users', nav: true, roles: ADMIN, component: UsersPage },
  { path: 'users/new', title: 'Add a user', nav: false, roles: ADMIN, component: NewUserPage },
  { path: 'users/:id', title: 'User', nav: false, roles: ADMIN, component: UserPage },
  { path: 'audit', title: 'Audit log', nav: true, roles: ADMIN, component: AuditPage },
];
