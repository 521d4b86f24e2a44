// What a translation is: the English words' shape with every text a string (a key missing or added fails
// to compile), and French's plural, which has one form more than English.

/** `T`'s keys, each text a string. */
export type Translation<T> = T extends string ? string : { [K in keyof T]: Translation<T[K]> };

/**
 * A French plural: CLDR gives French a third form, "many", for millions ("1 000 000 de points"), which
 * i18next asks for and English lacks; the counter words it as the plural. Spread it into a French object.
 */
export const frenchPlural = <K extends string>(key: K, one: string, other: string) =>
  ({ [`${key}_one`]: one, [`${key}_other`]: other, [`${key}_many`]: other }) as Record<
    `${K}_one` | `${K}_other` | `${K}_many`,
    string
  >;
