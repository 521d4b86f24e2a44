// The words of spending points (the redeem screen, and the rewards at a glance on the member screen):
// English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  finishFirst: 'Finish or leave the redemption before scanning.',
  redeemed: 'Reward redeemed: {{reward}}',
  title: 'Redeem points',
  offlineAllowance: ' · Offline allowance: {{points}}',
  back: 'Back',
  noRewards: 'The program has no rewards.',
  catalog: 'Rewards catalog',
  rewardButton: '{{reward}}, {{points}}',
  askTitle: 'Redeem this reward?',
  confirm: 'Redeem',
  reward: 'Reward',
  cost: 'Cost',
  balanceNow: 'Balance now',
  balanceAfter: 'Balance after',
  managerNext: 'Offline, above the allowance: a manager approves next.',
  approvalPurpose: '{{reward}}: {{message}}.',
  offlineLeft: 'Offline: {{left}} of {{limit}} left for this member',
  usedAtOtherTills: ' ({{points}} used at other tills)',
  rewards: 'Rewards',
  rewardsList: 'Rewards list',
  states: {
    available: 'Affordable',
    'needs-manager': 'Affordable: offline, a manager must approve',
    'offline-limit': 'Over the offline limit: wait for HQ',
    short: '{{points}} more needed',
    'tier-only': '{{tiers}} only',
  },
  // Between the tiers a reward is for: "Gold or Platinum only".
  tiersOr: ' or ',
};

const fr: Translation<typeof en> = {
  finishFirst: "Terminez ou quittez l'échange avant de scanner.",
  redeemed: 'Récompense échangée : {{reward}}',
  title: 'Échanger des points',
  offlineAllowance: ' · Plafond hors ligne : {{points}}',
  back: 'Retour',
  noRewards: "Le programme n'a aucune récompense.",
  catalog: 'Catalogue des récompenses',
  rewardButton: '{{reward}}, {{points}}',
  askTitle: 'Échanger cette récompense ?',
  confirm: 'Échanger',
  reward: 'Récompense',
  cost: 'Coût',
  balanceNow: 'Solde actuel',
  balanceAfter: 'Solde après',
  managerNext: 'Hors ligne, au-delà du plafond : un responsable valide ensuite.',
  approvalPurpose: '{{reward}} : {{message}}.',
  offlineLeft: 'Hors ligne : {{left}} sur {{limit}} restants pour ce membre',
  usedAtOtherTills: ' ({{points}} utilisés sur d’autres caisses)',
  rewards: 'Récompenses',
  rewardsList: 'Liste des récompenses',
  states: {
    available: 'Accessible',
    'needs-manager': 'Accessible : hors ligne, un responsable doit valider',
    'offline-limit': 'Au-delà du plafond hors ligne : attendez le siège',
    short: 'Encore {{points}} nécessaires',
    'tier-only': 'Réservé au niveau {{tiers}}',
  },
  tiersOr: ' ou ',
};

export const redeemWords = { en, fr };
