// The fleet area's pages: the stores (every role sees theirs: a store manager only their own), and one
// store with its counter settings, terminals and cashiers.
import { ANY_ROLE } from '../../../src-shared/console/endpoint.js';
import type { ConsolePage } from '../../page.js';
import { StorePage } from './store-page.js';
import { StoresPage } from './stores-page.js';

export const fleetPages: ConsolePage[] = [
  { path: 'stores', title: 'Stores', nav: true, roles: ANY_ROLE, component: StoresPage },
  { path: 'stores/:id', title: 'Store', nav: false, roles: ANY_ROLE, component: StorePage },
];
