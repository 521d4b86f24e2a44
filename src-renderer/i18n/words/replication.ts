// The words of the first replication's progress: English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  bar: 'Initial replication',
  received: '{{formatted}} received',
  done: ' · done',
  collections: {
    members: 'Members',
    products: 'Products',
    programs: 'Programs',
    cashiers: 'Cashiers',
  },
};

const fr: Translation<typeof en> = {
  bar: 'Réplication initiale',
  received: '{{formatted}} reçus',
  done: ' · terminé',
  collections: {
    members: 'Membres',
    products: 'Produits',
    programs: 'Programmes',
    cashiers: 'Caissiers',
  },
};

export const replicationWords = { en, fr };
