// The customer-facing display's whole input: a small, pure value the cashier's renderer publishes
// (TerminalApi.setCustomerView), main keeps the latest of and forwards to the customer window
// (TerminalApi.onCustomerView). It is all the customer screen ever knows, so it is built to carry nothing
// beyond what the customer in front of the counter may read: the member's first name and points, the
// basket, the points this sale earns, and the next reward within reach. No phone, no card number, no
// member id, no cashier, nothing of the cashier's screens (PIN pad, manager, sync queue): the schema is
// strict (an unknown field is refused), every text is bounded and checked by the payment-card guard, and
// a first name holds no digits.
import { z } from 'zod';
import { DEFAULT_LOCALE, localeSchema } from '../kernel/locale.js';
import { currencySchema } from '../kernel/money.js';
import { MAX_POINTS } from '../kernel/points.js';
import { paymentCardIn } from '../scan/payment-guard.js';

/** Basket lines shown at most: the customer screen lists the latest ones of a longer basket. */
export const MAX_CUSTOMER_LINES = 100;

const shownText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => paymentCardIn(text) === undefined, 'looks like a payment card number');

const points = z.int().min(-MAX_POINTS).max(MAX_POINTS);
const minor = z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** "Alice": a first name as the counter shows it ("Alice M."), never anything that could identify more. */
export const customerFirstNameSchema = shownText(40).regex(/^[^\d@]+$/u, 'a first name, no digits');

export const customerViewSchema = z
  .object({
    /**
     * The store's locale, as the cashier's counter speaks it ("fr-FR"): the customer page speaks it too. It
     * travels with every view because the customer page has no TerminalApi to ask for store settings.
     */
    locale: localeSchema,
    /** The program's name, the screen's welcome ("Bean There Rewards"); null before HQ sent a program. */
    programName: shownText(80).nullable(),
    /** The member at the counter; null when nobody is (idle, sign-in, enrollment, the manager screen). */
    member: z
      .object({
        /** Null when the counter's name for them is not a plain first name. */
        firstName: customerFirstNameSchema.nullable(),
        /** The balance the cashier sees (pending points included). */
        balance: points,
        /**
         * The reward the member is working towards: the cheapest they may take and cannot afford yet
         * (`missing` > 0), or, when they can afford every one, the dearest they can (`missing` 0).
         */
        nextReward: z
          .object({
            label: shownText(80),
            cost: z.int().positive().max(MAX_POINTS),
            missing: z.int().nonnegative().max(MAX_POINTS),
          })
          .strict()
          .nullable(),
      })
      .strict()
      .nullable(),
    /** The sale being rung up; null outside the sale screen. */
    sale: z
      .object({
        currency: currencySchema,
        lines: z
          .array(
            z
              .object({
                name: shownText(120),
                quantity: z.int().positive().max(100_000),
                /** The line's total, minor units. */
                total: minor,
              })
              .strict(),
          )
          .max(MAX_CUSTOMER_LINES),
        /** The basket's total, minor units. */
        total: minor,
        /** The points this basket earns; null while it is being quoted, or when it cannot be. */
        points: points.nullable(),
      })
      .strict()
      .nullable(),
    /** What was just recorded for the member, to thank them: points earned, a reward, a welcome. */
    done: z
      .object({
        kind: z.enum(['earn', 'redeem', 'enroll']),
        /** Earned, spent or given as a welcome bonus (positive). */
        points: z.int().nonnegative().max(MAX_POINTS),
        /** The reward redeemed. */
        reward: shownText(80).nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type CustomerView = z.infer<typeof customerViewSchema>;

/**
 * What the customer display shows before the cashier's screen says anything: a plain welcome, in the
 * default locale until the counter's first view says the store's.
 */
export const IDLE_CUSTOMER_VIEW: CustomerView = {
  locale: DEFAULT_LOCALE,
  programName: null,
  member: null,
  sale: null,
  done: null,
};
