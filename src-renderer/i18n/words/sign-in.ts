// The words of signing in and of a manager's approval (the staff PIN form they share, its PIN pad):
// English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Sign in',
  scanFirst: 'Sign in first, then scan.',
  noStaff: 'No staff for this store has arrived from HQ yet.',
  cashier: 'Cashier',
  pin: 'PIN',
  submit: 'Sign in',
  pinForm: {
    choose: 'Choose…',
    chooseCashier: 'Choose a cashier first',
    chooseManager: 'Choose a manager first',
    enterPin: 'Enter the PIN',
    pinDigits: 'A PIN has {{min}} digits',
    pinDigitsRange: 'A PIN has {{min}} to {{max}} digits',
    checkFailed: 'The PIN could not be checked: try again.',
    noPinYet: 'This terminal has no PIN for {{name}} yet: it gets them from HQ, try again once it is online.',
    wrongPin: 'Wrong PIN',
    triesLeft_one: '{{count}} try left before this PIN locks for a while.',
    triesLeft_other: '{{count}} tries left before this PIN locks for a while.',
    lockedOut: 'Too many wrong PINs: try again in {{countdown}}',
    checking: 'Checking the PIN…',
  },
  pinPad: {
    label: 'PIN keypad',
    clear: 'Clear PIN',
    deleteLast: 'Delete last digit',
  },
  managerApproval: {
    title: 'Manager approval',
    noManager: 'No manager of this store is known at this terminal yet.',
    manager: 'Manager',
    pin: 'Manager PIN',
    approve: 'Approve',
  },
};

const fr: Translation<typeof en> = {
  title: 'Connexion',
  scanFirst: "Connectez-vous d'abord, puis scannez.",
  noStaff: "Aucun membre du personnel de ce magasin n'est encore arrivé du siège.",
  cashier: 'Caissier',
  pin: 'Code PIN',
  submit: 'Se connecter',
  pinForm: {
    choose: 'Choisir…',
    chooseCashier: "Choisissez d'abord un caissier",
    chooseManager: "Choisissez d'abord un responsable",
    enterPin: 'Saisissez le code PIN',
    pinDigits: 'Un code PIN a {{min}} chiffres',
    pinDigitsRange: 'Un code PIN a de {{min}} à {{max}} chiffres',
    checkFailed: "Le code PIN n'a pas pu être vérifié : réessayez.",
    noPinYet:
      "Ce terminal n'a pas encore de code PIN pour {{name}} : il les reçoit du siège, réessayez une fois en ligne.",
    wrongPin: 'Code PIN erroné',
    ...frenchPlural(
      'triesLeft',
      'Encore {{count}} essai avant que ce code PIN soit bloqué un moment.',
      'Encore {{count}} essais avant que ce code PIN soit bloqué un moment.',
    ),
    lockedOut: 'Trop de codes PIN erronés : réessayez dans {{countdown}}',
    checking: 'Vérification du code PIN…',
  },
  pinPad: {
    label: 'Clavier du code PIN',
    clear: 'Effacer le code PIN',
    deleteLast: 'Effacer le dernier chiffre',
  },
  managerApproval: {
    title: 'Accord du responsable',
    noManager: "Aucun responsable de ce magasin n'est encore connu de ce terminal.",
    manager: 'Responsable',
    pin: 'Code PIN du responsable',
    approve: 'Approuver',
  },
};

export const signInWords = { en, fr };
