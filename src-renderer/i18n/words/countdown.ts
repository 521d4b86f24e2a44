// The words of a countdown (hooks/format.ts formatCountdown: the status bar's next replica change, a PIN
// lock-out): unit abbreviations, English and French with exactly its keys. French writes a day "j".
import type { Translation } from '../translation.js';

const en = {
  seconds: '{{seconds}} s',
  minutes: '{{minutes}} min',
  hoursMinutes: '{{hours}} h {{minutes}} min',
  daysHours: '{{days}} d {{hours}} h',
};

const fr: Translation<typeof en> = {
  seconds: '{{seconds}} s',
  minutes: '{{minutes}} min',
  hoursMinutes: '{{hours}} h {{minutes}} min',
  daysHours: '{{days}} j {{hours}} h',
};

export const countdownWords = { en, fr };
