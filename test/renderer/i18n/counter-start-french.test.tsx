// The start of the counter in French: signing in (the staff PIN form and its PIN pad), a manager's approval,
// the idle screen, a member found, enrolling a new member, the confirmation sheet's Cancel, the message
// slot's Dismiss, the keypads, and the answers to a scan. Rendered as the counter renders them (below the
// terminal, session, message slot and scan providers, on the smallest fake terminal they read), after the
// store's locale switched the counter to French: French words, none of the English ones, no key missing.
// English comes back for a locale the counter does not speak.
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { NEVER } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmDialog } from '../../../src-renderer/components/confirm-dialog.js';
import { Keypad, KeypadToggle } from '../../../src-renderer/components/keypad.js';
import { ManagerApprovalDialog } from '../../../src-renderer/components/manager-approval-dialog.js';
import { MemberResult } from '../../../src-renderer/components/member-card.js';
import { ToastView } from '../../../src-renderer/components/messages.js';
import { PinPad } from '../../../src-renderer/components/pin-pad.js';
import {
  enrollScanAnswer,
  PAYMENT_CARD_REFUSED,
  saleScanAnswer,
  scanOutcome,
} from '../../../src-renderer/hooks/scan-outcome.js';
import { CounterProvider, type Counter } from '../../../src-renderer/hooks/use-counter.js';
import { ScanProvider } from '../../../src-renderer/hooks/use-scans.js';
import { SessionProvider } from '../../../src-renderer/hooks/use-session.js';
import { TerminalProvider } from '../../../src-renderer/hooks/use-terminal.js';
import { ToastProvider } from '../../../src-renderer/hooks/use-transient-notice.js';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { EnrollScreen } from '../../../src-renderer/screens/enroll-screen.js';
import { IdleScreen } from '../../../src-renderer/screens/idle-screen.js';
import { SignInScreen } from '../../../src-renderer/screens/sign-in-screen.js';
import type { ShownMember } from '../../../src-renderer/services/index.js';
import type { Terminal } from '../../../src-renderer/startup/index.js';
import type { TerminalApi } from '../../../src-shared/ipc/index.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import { PAYMENT_CARD_MESSAGE, type ScanResult } from '../../../src-shared/scan/index.js';
import { textOf } from '../../support/render-text.js';

const text = textOf;

// What the rendered screens read on their first render: no program yet, no staff yet (both arrive by
// subscription, after the render), a sync status, and the host's scan feed.
const terminal = {
  services: {
    program$: NEVER,
    currentProgram: () => null,
    staff$: () => NEVER,
    phoneCountry: 'IE',
  },
  sync: { status$: NEVER, snapshot: () => ({ storeId: 'store-1' }) },
} as unknown as Terminal;
const api = { onScan: () => () => undefined } as unknown as TerminalApi;
const counter: Counter = { route: { name: 'idle' }, go: () => undefined, askManager: () => undefined };

/** The providers the counter puts above its screens (app.tsx), around `children`. */
const atCounter = (children: ReactNode) =>
  renderToStaticMarkup(
    <TerminalProvider api={api} terminal={terminal}>
      <SessionProvider>
        <ToastProvider>
          <ScanProvider>
            <CounterProvider value={counter}>{children}</CounterProvider>
          </ScanProvider>
        </ToastProvider>
      </SessionProvider>
    </TerminalProvider>,
  );

const shown: ShownMember = {
  member: {
    ...emptyMember('m-1', '2025-01-15T10:00:00Z'),
    displayName: '',
    cards: ['0490000000016'],
    phoneLast4: '4567',
  },
  hq: null,
  provisional: false,
  balance: { confirmed: 120, pending: 0, total: 120 },
  pendingEvents: 0,
};

/** English words of these screens that must not be left on a French counter. */
const ENGLISH =
  /\b(Sign in|Cashier|Choose|Manager|Approve|Cancel|Dismiss|Keypad|Clear|Delete|Enroll|Scan|Phone|Find|Type|member|Members|First name|Last name|Birth month|January|Not given|since|card)\b/;

afterEach(async () => {
  await speakLocale('en-IE');
});

describe('signing in, the idle screen and enrollment in French', () => {
  it('signs in in French: the title, the staff not yet there, the form, its PIN pad', async () => {
    await speakLocale('fr-FR');
    const html = atCounter(<SignInScreen />);
    const shownText = text(html);
    expect(shownText).toContain('Connexion');
    expect(shownText).toContain("Aucun membre du personnel de ce magasin n'est encore arrivé du siège.");
    expect(shownText).toContain('Caissier');
    expect(shownText).toContain('Choisir…');
    expect(shownText).toContain('Code PIN');
    expect(shownText).toContain('Se connecter');
    expect(shownText).toContain('Effacer');
    expect(html).toContain('aria-label="Clavier du code PIN"');
    expect(html).toContain('aria-label="Effacer le code PIN"');
    expect(html).toContain('aria-label="Effacer le dernier chiffre"');
    expect(shownText).not.toMatch(ENGLISH);
    expect(missingKeys()).toEqual([]);
  });

  it("asks for a manager's PIN in French, with the purpose it is given", async () => {
    await speakLocale('fr-FR');
    const html = atCounter(
      <ManagerApprovalDialog purpose="Un objet" onApproved={() => undefined} onCancel={() => undefined} />,
    );
    const shownText = text(html);
    expect(html).toContain('aria-label="Accord du responsable"');
    expect(shownText).toContain("Aucun responsable de ce magasin n'est encore connu de ce terminal.");
    expect(shownText).toContain('Code PIN du responsable');
    expect(shownText).toContain('Approuver');
    expect(shownText).toContain('Annuler');
    expect(shownText).not.toMatch(ENGLISH);
    expect(missingKeys()).toEqual([]);
  });

  it('shows the idle screen in French: the ways to find a member, the search, its buttons', async () => {
    await speakLocale('fr-FR');
    const shownText = text(atCounter(<IdleScreen />));
    expect(shownText).toContain('Scannez une carte ou saisissez un numéro de téléphone');
    expect(shownText).toContain('Numéro de téléphone ou nom');
    expect(shownText).toContain('Chercher');
    expect(shownText).toContain('Clavier');
    expect(shownText).toContain('Inscrire un nouveau membre');
    expect(shownText).toContain('Responsable');
    expect(shownText).toContain('Saisissez les premières lettres du nom, par ex. Aoife');
    expect(shownText).not.toMatch(ENGLISH);
    expect(missingKeys()).toEqual([]);
  });

  it('words a member found in French, and one with no name yet as « Membre »', async () => {
    await speakLocale('fr-FR');
    const shownText = text(
      renderToStaticMarkup(<MemberResult shown={shown} onOpen={() => undefined} timeZone="Europe/Paris" />),
    );
    expect(shownText).toContain('Membre');
    expect(shownText).toContain('carte …0016');
    expect(shownText).toContain('tél. …4567');
    expect(shownText).toMatch(/depuis \S/);
    expect(shownText).not.toMatch(ENGLISH);
    await speakLocale('en-IE');
    const english = text(renderToStaticMarkup(<MemberResult shown={shown} onOpen={() => undefined} />));
    expect(english).toContain('Member');
    expect(english).toContain('card …0016 · phone …4567 · since ');
    expect(missingKeys()).toEqual([]);
  });

  it('enrolls a member in French: the fields, their hints, the months, the buttons', async () => {
    await speakLocale('fr-FR');
    const shownText = text(atCounter(<EnrollScreen card="0490000000016" />));
    for (const words of [
      'Inscrire un nouveau membre',
      'Prénom',
      'Nom',
      'Téléphone',
      'Mois de naissance',
      "Pour le bonus d'anniversaire (facultatif).",
      'Non renseigné',
      'janvier',
      'décembre',
      'Numéro de carte',
      'Parrainé par (carte)',
      'Inscrire le membre',
      'Annuler',
    ])
      expect(shownText).toContain(words);
    expect(shownText).not.toMatch(ENGLISH);
    expect(missingKeys()).toEqual([]);
  });

  it("says Cancel, Dismiss and the keypads' words in French, and in English again for en-IE", async () => {
    await speakLocale('fr-FR');
    const sheet = text(
      atCounter(
        <ConfirmDialog
          title="Titre"
          confirmLabel="Oui"
          onConfirm={() => undefined}
          onCancel={() => undefined}
        >
          <p>Corps</p>
        </ConfirmDialog>,
      ),
    );
    expect(sheet).toContain('Annuler');
    const toast = renderToStaticMarkup(
      <ToastView toast={{ kind: 'error', text: 'Erreur', id: 1 }} onDismiss={() => undefined} />,
    );
    expect(text(toast)).toBe('Erreur Fermer');
    const pad = renderToStaticMarkup(<Keypad label="Pavé" value="" onChange={() => undefined} />);
    expect(pad).toContain('aria-label="Effacer"');
    expect(pad).toContain('aria-label="Effacer le dernier caractère"');
    expect(renderToStaticMarkup(<PinPad value="" onChange={() => undefined} maxLength={4} />)).toContain(
      'aria-label="Clavier du code PIN"',
    );
    expect(
      text(renderToStaticMarkup(<KeypadToggle shown={false} onToggle={() => undefined} controls="k" />)),
    ).toBe('Clavier');
    await speakLocale('en-IE');
    expect(
      text(
        renderToStaticMarkup(
          <ToastView toast={{ kind: 'error', text: 'Oops', id: 2 }} onDismiss={() => {}} />,
        ),
      ),
    ).toBe('Oops Dismiss');
    expect(
      text(renderToStaticMarkup(<KeypadToggle shown={false} onToggle={() => undefined} controls="k" />)),
    ).toBe('Keypad');
    expect(missingKeys()).toEqual([]);
  });

  it('answers scans in French: a card nobody holds, a payment card, a code the till does not know', async () => {
    await speakLocale('fr-FR');
    const nobody = () => Promise.resolve({ member: null, earnOnCard: false });
    const unreachable = () => Promise.resolve({ member: null, earnOnCard: true });
    const card: ScanResult = { kind: 'magstripe-card', number: '0490000000016' };
    const payment: ScanResult = {
      kind: 'refused',
      reason: 'payment-card',
      message: PAYMENT_CARD_MESSAGE,
      brand: 'visa',
      last4: '1111',
    };
    expect(await scanOutcome(card, nobody)).toEqual({
      kind: 'unknown-card',
      number: '0490000000016',
      earnOnCard: false,
      message:
        "La carte …0016 n'est pas enregistrée. Inscrivez le client avec elle, ou scannez une autre carte.",
    });
    expect(await scanOutcome(card, unreachable)).toEqual({
      kind: 'unknown-card',
      number: '0490000000016',
      earnOnCard: true,
      message:
        "La carte …0016 n'est pas sur cette caisse et le siège est injoignable. Ajoutez les points de cette vente à la carte : ils iront à son membre quand le siège sera joint (aucun échange de points avec elle d'ici là). Ou inscrivez un nouveau client avec elle.",
    });
    const refused = await scanOutcome(payment, nobody);
    expect(refused).toEqual({
      kind: 'refused',
      message: 'Une carte de paiement a été passée : refusée, rien de conservé.',
    });
    expect(saleScanAnswer({ kind: 'text', symbology: 'unknown', text: 'HELLO' })).toEqual({
      kind: 'info',
      text: 'Ni une carte ni un produit connus de cette caisse : HELLO',
    });
    expect(saleScanAnswer({ kind: 'nfc-uid', uid: '04A224B2' }).text).toBe(
      'Une carte a été scannée : terminez ou annulez cette vente avant de changer de membre.',
    );
    expect(enrollScanAnswer({ kind: 'product', symbology: 'ean-13', gtin14: '04006381333931' })).toEqual({
      kind: 'info',
      text: "C'était un produit : scannez la carte du nouveau membre.",
    });
    await speakLocale('en-IE');
    expect(await scanOutcome(payment, nobody)).toEqual({
      kind: 'refused',
      message: PAYMENT_CARD_REFUSED,
    });
    expect(missingKeys()).toEqual([]);
  });
});
