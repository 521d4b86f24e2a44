// The words of the boot screens (opening, start failure, no host, first replication): English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  product: 'Loyalty Terminal',
  opening: 'Opening the terminal…',
  failedTitle: 'The terminal could not start',
  failedHint: 'Try again. If it happens again, call your manager or IT support.',
  tryAgain: 'Try again',
  noHost:
    'This page runs inside the terminal application. Start it with the terminal, not in a plain browser tab.',
  gettingData: "Getting the store's data from HQ",
  arriving: 'Members, products, the program and the staff list are arriving.',
  waitingForHq: 'Waiting for HQ: the terminal needs to reach HQ once before it can serve.',
};

const fr: Translation<typeof en> = {
  product: 'Terminal de fidélité',
  opening: 'Ouverture du terminal…',
  failedTitle: "Le terminal n'a pas pu démarrer",
  failedHint: "Réessayez. Si cela se reproduit, appelez votre responsable ou l'assistance informatique.",
  tryAgain: 'Réessayer',
  noHost:
    "Cette page fonctionne dans l'application du terminal. Lancez-la avec le terminal, pas dans un simple onglet de navigateur.",
  gettingData: 'Réception des données du magasin depuis le siège',
  arriving: 'Les membres, les produits, le programme et la liste du personnel arrivent.',
  waitingForHq:
    'En attente du siège : le terminal doit joindre le siège une première fois avant de pouvoir servir.',
};

export const bootWords = { en, fr };
