/**
 * The C integer arithmetic of Debian's cron entry.c, for messages that say what cron would
 * really do with a number too large for it (checked against `crontab -n` in the tests).
 *
 * get_number() reads a run of digits with atoi(), i.e. (int) strtol(): strtol() saturates at
 * LONG_MAX (64-bit), and the conversion to a 32-bit int keeps the low 32 bits, so
 * 4294967296 reads as 0 and 4294967301 as 5. get_range() then steps with
 * `for (i = num1; i <= num2; i += num3)` in an int: once num1 + num3 passes INT_MAX the
 * counter wraps to a negative number, set_element() refuses it and cron rejects the line.
 */

export const INT_MAX = 2147483647;
const LONG_MAX = 2n ** 63n - 1n;

/** atoi() of a run of ASCII digits, as glibc on a 64-bit Debian computes it. */
export function cAtoi(digits: string): number {
  const long = BigInt(digits);
  return Number(BigInt.asIntN(32, long > LONG_MAX ? LONG_MAX : long));
}

/** What cron does with the item `first-last/step` (step as written, digits only). */
export type CronStepReading =
  | { kind: "rejects"; why: string }
  /** cron accepts the line and steps by `step` (its int value of the digits). */
  | { kind: "steps"; step: number };

/** cron's reading of a step, given the item's first and last values (already in range). */
export function cronStepReading(digits: string, first: number, last: number, maxWord: number): CronStepReading {
  // get_number(): `if (++len >= MAX_TEMPSTR) return EOF;`
  if (digits.length > maxWord) return { kind: "rejects", why: `cron cannot read a number of more than ${maxWord} characters` };
  const step = cAtoi(digits);
  if (step <= 0) return { kind: "rejects", why: `cron's int reads ${digits} as ${step}` };
  // The loop sets `first`, then adds the step once more only while it stays <= last.
  if (first + step <= last) return { kind: "steps", step };
  if (first + step > INT_MAX) return { kind: "rejects", why: `${first} + ${step} overflows cron's int counter` };
  return { kind: "steps", step };
}
