// The words of the manager's devices panel: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Devices',
  none: 'No serial scanner, card reader or receipt printer is configured. Keyboard scanners work without setup.',
  roles: { barcode: 'Scanner', card: 'Card reader', printer: 'Receipt printer' },
  states: {
    connecting: 'Connecting',
    connected: 'Connected',
    disconnected: 'Disconnected',
    error: 'Error',
  },
  lastSlip: 'Last slip: {{when}}',
  lastFrame: 'Last frame: {{when}}',
  noneYet: 'none yet',
  slipsPrinted_one: '{{count}} slip printed',
  slipsPrinted_other: '{{count}} slips printed',
  frames: '{{frames}} frames, {{rejected}} unreadable',
};

const fr: Translation<typeof en> = {
  title: 'Périphériques',
  none: "Aucun scanner série, lecteur de carte ni imprimante de tickets n'est configuré. Les scanners clavier fonctionnent sans réglage.",
  roles: { barcode: 'Scanner', card: 'Lecteur de carte', printer: 'Imprimante de tickets' },
  states: {
    connecting: 'Connexion',
    connected: 'Connecté',
    disconnected: 'Déconnecté',
    error: 'Erreur',
  },
  lastSlip: 'Dernier ticket : {{when}}',
  lastFrame: 'Dernière trame : {{when}}',
  noneYet: 'aucune pour le moment',
  ...frenchPlural('slipsPrinted', '{{count}} ticket imprimé', '{{count}} tickets imprimés'),
  frames: '{{frames}} trames, {{rejected}} illisibles',
};

export const devicesWords = { en, fr };
