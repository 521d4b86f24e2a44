// The words of the customer display (the screen the customer in front of the counter reads): English, and
// French with exactly its keys. A <points/>, <reward/> or <cost/> tag is a component whose own child is the
// figure or the reward's name (never parsed as markup: a reward's name comes from HQ).
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  screen: 'Customer display',
  // The heading while HQ has not sent a program (so no program name yet).
  loyalty: 'Loyalty',
  welcome: 'Welcome',
  welcomeTo: 'Welcome to {{program}}',
  showCard: 'Show your loyalty card to collect points on this purchase.',
  hello: 'Hello',
  helloName: 'Hello, {{name}}',
  yourPoints: 'Your points',
  yourPurchase: 'Your purchase',
  more_one: '{{count}} more item above',
  more_other: '{{count}} more items above',
  basket: 'Basket',
  nothingYet: 'Nothing scanned yet.',
  total: 'Total',
  earnsLabel: 'Points this purchase earns',
  counting: 'Counting your points…',
  earns: 'This purchase earns <points/>',
  then: ' · then {{points}}',
  earned: 'Thank you! You earned {{points}}.',
  enjoy: 'Enjoy your reward.',
  enjoyReward: 'Enjoy your reward: {{reward}}.',
  aboard: 'Welcome aboard!',
  aboardPoints: 'Welcome aboard! {{points}} to start with.',
  nextReward: 'Next reward',
  toGo: '<points/> to go for <reward/>',
  canHave: 'You can have <reward/> (<cost/>): ask at the counter',
};

const fr: Translation<typeof en> = {
  screen: 'Écran client',
  loyalty: 'Fidélité',
  welcome: 'Bienvenue',
  welcomeTo: 'Bienvenue chez {{program}}',
  showCard: 'Présentez votre carte de fidélité pour cumuler des points sur cet achat.',
  hello: 'Bonjour',
  helloName: 'Bonjour {{name}}',
  yourPoints: 'Vos points',
  yourPurchase: 'Votre achat',
  ...frenchPlural('more', '{{count}} autre article plus haut', '{{count}} autres articles plus haut'),
  basket: 'Panier',
  nothingYet: 'Aucun article scanné pour le moment.',
  total: 'Total',
  earnsLabel: 'Points gagnés avec cet achat',
  counting: 'Calcul de vos points…',
  earns: 'Cet achat vous rapporte <points/>',
  then: ' · ensuite {{points}}',
  earned: 'Merci ! Vous avez gagné {{points}}.',
  enjoy: 'Profitez bien de votre récompense.',
  enjoyReward: 'Profitez bien de votre récompense : {{reward}}.',
  aboard: 'Bienvenue parmi nous !',
  aboardPoints: 'Bienvenue parmi nous ! {{points}} pour commencer.',
  nextReward: 'Prochaine récompense',
  toGo: 'Encore <points/> pour <reward/>',
  canHave: 'Vous pouvez obtenir <reward/> (<cost/>) : demandez en caisse',
};

export const customerWords = { en, fr };
