// A customer view as the counter publishes it during a sale (Alice, two cappuccinos and a croissant), for the
// tests of the customer display's contract, transports and screen.
import type { CustomerView } from '../../src-shared/ipc/customer-view.js';

export const SALE_VIEW: CustomerView = {
  locale: 'en-IE',
  programName: 'Bean There Rewards',
  member: {
    firstName: 'Alice',
    balance: 1240,
    nextReward: { label: 'Free coffee', cost: 1300, missing: 60 },
  },
  sale: {
    currency: 'EUR',
    lines: [
      { name: 'Cappuccino', quantity: 2, total: 840 },
      { name: 'Croissant', quantity: 1, total: 180 },
    ],
    total: 1020,
    points: 20,
  },
  done: null,
};
