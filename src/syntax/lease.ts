/**
 * switchman leases, `RESOURCE=COUNT:TOTAL` (issue 16, SPEC 8.2): switchman's `--lease`, METADATA
 * `lease`, the linter and the cron-line renderer all ask this module, so a lease that lints is a
 * lease switchman takes. Zod-free, like every syntax.
 *
 * RESOURCE names a semaphore: one ZooKeeper path segment (`<prefix>/semaphores/<resource>`,
 * `<prefix>/queues/<resource>`) and one file name in local mode. It takes the lock-name alphabet
 * `[A-Za-z0-9._-]`, 1-200 characters (before and after FQDN is replaced: room for a suffix in a
 * 255-byte file name), not `.` or `..`. The macro `FQDN`, written in upper case anywhere in the
 * name and as often as wanted, is replaced by this host's FQDN (`FQDN_cpu` on db1.example.org is
 * `db1.example.org_cpu`), exactly as App::switchman does: a per-host resource. `CPU` and `MEMMB`
 * are refused in a name: App::switchman would replace them too (`CPU_heavy` → `8_heavy`), so the
 * two would count in different semaphores during a migration.
 *
 * COUNT and TOTAL are integer expressions: whole numbers (no sign, no leading zero: Perl reads
 * `010` as 8), the macros `CPU` (online CPUs) and `MEMMB` (total memory, MiB), `+ - * /`, unary
 * `-` and parentheses, with blanks allowed between tokens. `/` rounds toward zero, like Perl's
 * `int()`, so App::switchman's `int(MEMMB/1024)` is written `MEMMB/1024`. Every intermediate value
 * must stay within ±Number.MAX_SAFE_INTEGER, a divisor must not be 0, and the results must be
 * 1 <= COUNT <= TOTAL. `FQDN` is a name, not a number: an error in COUNT and TOTAL.
 *
 * Hand-written recursive descent, not a library and never `eval` (App::switchman evals these as
 * Perl: code execution from a cron line): the grammar is four rules, every error needs its
 * column, and nothing here may run code.
 *
 *     lease   := RESOURCE "=" sum ":" sum
 *     sum     := product (("+" | "-") product)*
 *     product := unary (("*" | "/") unary)*
 *     unary   := "-" unary | primary
 *     primary := NUMBER | "CPU" | "MEMMB" | "(" sum ")"
 */

/** The macros COUNT and TOTAL may use. */
export type LeaseMacro = "CPU" | "MEMMB";

/**
 * An expression of COUNT or TOTAL. `column` (1-based in the whole lease text) is where it starts,
 * its "(" included; a binary expression's `opColumn` is its operator's.
 */
export type LeaseExpr =
  | { kind: "number"; value: number; column: number }
  | { kind: "macro"; name: LeaseMacro; column: number }
  | { kind: "negate"; operand: LeaseExpr; column: number }
  | { kind: "binary"; op: "+" | "-" | "*" | "/"; left: LeaseExpr; right: LeaseExpr; column: number; opColumn: number };

/** A lease as written, syntax checked; its values depend on the host (see evaluateLease). */
export interface Lease {
  /** The whole text, as written. */
  text: string;
  /** RESOURCE as written, `FQDN` not yet replaced. */
  resource: string;
  /** True when RESOURCE holds `FQDN`: a per-host resource. */
  perHost: boolean;
  count: LeaseExpr;
  total: LeaseExpr;
  /** Where COUNT and TOTAL start (their first token), 1-based, for messages about their values. */
  countColumn: number;
  totalColumn: number;
}

/** What is wrong with a lease, and where: `column` is 1-based in the lease text. */
export interface LeaseProblem {
  message: string;
  column: number;
}

/** The facts of a host that the macros stand for. */
export interface HostFacts {
  /** Online CPUs (`CPU`), >= 1. */
  cpus: number;
  /** Total memory in MiB (`MEMMB`), >= 1. */
  memMb: number;
  /** This host's FQDN (`FQDN` in RESOURCE). */
  fqdn: string;
}

/** A lease on one host: the semaphore's name, how much of it this run takes, and its size. */
export interface LeaseValue {
  resource: string;
  count: number;
  total: number;
}

/** The rule in one line, for messages. */
export const LEASE_RULE =
  "RESOURCE=COUNT:TOTAL: RESOURCE from [A-Za-z0-9._-] (FQDN stands for this host's name); COUNT and TOTAL whole numbers, CPU, MEMMB, + - * / and parentheses, 1 <= COUNT <= TOTAL";

/** The longest resource name, before and after FQDN is replaced. */
export const RESOURCE_MAX_LENGTH = 200;

/** The longest lease text (a cron line holds at most 998 characters). */
export const LEASE_MAX_LENGTH = 998;

/** The macro of RESOURCE, as written. */
export const FQDN_MACRO = "FQDN";

const RESOURCE_ALPHABET = /[^A-Za-z0-9._-]/;
const EXPRESSION_WORDS = "whole numbers, CPU, MEMMB, + - * / and parentheses";

/** Parses `text` as `RESOURCE=COUNT:TOTAL`: the lease, or its first problem. */
export function parseLease(text: string): { ok: true; lease: Lease } | ({ ok: false } & LeaseProblem) {
  try {
    return { ok: true, lease: parseOrThrow(text) };
  } catch (error) {
    if (error instanceof LeaseSyntaxError) return { ok: false, message: error.message, column: error.column };
    throw error;
  }
}

/** Why `text` is not a lease (message and column), or undefined when it is one. */
export function leaseProblem(text: string): LeaseProblem | undefined {
  const parsed = parseLease(text);
  return parsed.ok ? undefined : { message: parsed.message, column: parsed.column };
}

/**
 * The lease's values on a host with `facts`: RESOURCE with `FQDN` replaced, COUNT and TOTAL
 * computed. A problem when a value is out of range, overflows or divides by zero on this host,
 * or when this host's name makes RESOURCE invalid.
 */
export function evaluateLease(lease: Lease, facts: HostFacts): { ok: true; value: LeaseValue } | ({ ok: false } & LeaseProblem) {
  const resource = lease.resource.split(FQDN_MACRO).join(facts.fqdn);
  if (lease.perHost) {
    const problem = resourceNameProblem(resource);
    if (problem !== undefined) return { ok: false, column: 1, message: `RESOURCE ${JSON.stringify(lease.resource)} on this host is ${JSON.stringify(resource)}, which ${problem}` };
  }
  const values = { CPU: facts.cpus, MEMMB: facts.memMb };
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isSafeInteger(value) || value < 1) return { ok: false, column: 1, message: `this host's ${name} is ${value}, not a whole number >= 1` };
  }
  const total = evaluate(lease.total, values);
  if (!total.ok) return total;
  const count = evaluate(lease.count, values);
  if (!count.ok) return count;
  const range = rangeProblem(lease, count.value, total.value);
  if (range !== undefined) return { ok: false, ...range };
  return { ok: true, value: { resource, count: count.value, total: total.value } };
}

/**
 * The problem every host would have (COUNT or TOTAL out of range, overflow, division by zero in
 * the parts that use no macro), for the linter; undefined when none shows without host facts.
 */
export function leaseConstantProblem(lease: Lease): LeaseProblem | undefined {
  const total = evaluate(lease.total, undefined);
  if (!total.ok) return total;
  const count = evaluate(lease.count, undefined);
  if (!count.ok) return count;
  if (total.value === undefined) {
    return count.value !== undefined && count.value < 1 ? { column: lease.countColumn, message: `COUNT is ${count.value}; it must be at least 1` } : undefined;
  }
  if (count.value === undefined) return total.value < 1 ? { column: lease.totalColumn, message: `TOTAL is ${total.value}; it must be at least 1` } : undefined;
  return rangeProblem(lease, count.value, total.value);
}

/** The value of COUNT or TOTAL when it uses no macro (and computes), else undefined. */
export function constantValue(expr: LeaseExpr): number | undefined {
  const result = evaluate(expr, undefined);
  return result.ok ? result.value : undefined;
}

/** The lease without blanks (they may only separate tokens, so this keeps its meaning): for cron lines. */
export function formatLease(lease: Lease): string {
  return lease.text.replace(/[ \t]+/g, "");
}

/** Why `name` (RESOURCE, FQDN replaced or not) is not a resource name: a phrase after it, or undefined. */
export function resourceNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > RESOURCE_MAX_LENGTH) return `is ${name.length} characters long; the limit is ${RESOURCE_MAX_LENGTH}`;
  if (name === "." || name === "..") return `cannot be "${name}"`;
  const bad = RESOURCE_ALPHABET.exec(name);
  if (bad) return `contains ${JSON.stringify(bad[0])}; only letters, digits, ".", "_" and "-" are allowed`;
  return undefined;
}

/**
 * What to write instead of an invalid lease, when its meaning is clear: blanks dropped,
 * `int(...)` unwrapped, leading zeros dropped, macros in upper case (`cpu` → `CPU`), `x` as a
 * product sign → `*`. Always itself a valid lease; undefined when there is none.
 */
export function leaseSuggestion(text: string): string | undefined {
  let fixed = text.replace(/[ \t]+/g, "");
  const eq = fixed.indexOf("=");
  if (eq <= 0) return undefined;
  let expressions = fixed.slice(eq + 1);
  expressions = unwrapInt(expressions)
    .replace(/\b(cpus?|memmb|mem_mb)\b/gi, (word) => (word.toLowerCase().startsWith("cpu") ? "CPU" : "MEMMB"))
    .replace(/\b0+([0-9])/g, "$1")
    .replace(/(?<=[0-9A-Z)])x(?=[0-9A-Z(])/g, "*");
  fixed = fixed.slice(0, eq + 1) + expressions;
  if (fixed === text) return undefined;
  const parsed = parseLease(fixed);
  if (!parsed.ok || leaseConstantProblem(parsed.lease) !== undefined) return undefined;
  return fixed;
}

/** `text` with every `int(X)` written as `X` (its parentheses matched), as far as they match. */
function unwrapInt(text: string): string {
  for (let match = /\bint\(/i.exec(text); match !== null; match = /\bint\(/i.exec(text)) {
    const open = match.index + match[0].length - 1;
    let depth = 0;
    let close = -1;
    for (let i = open; i < text.length && close === -1; i++) {
      if (text[i] === "(") depth += 1;
      else if (text[i] === ")" && --depth === 0) close = i;
    }
    if (close === -1) return text;
    const inner = text.slice(open + 1, close);
    if (!intIsIdentity(inner)) return text;
    // Parentheses stay where the call stood inside a product or after a minus: 2*int(a+b).
    const before = text.slice(0, match.index);
    const keep = /[*/-]$/.test(before) || /^[*/]/.test(text.slice(close + 1));
    text = before + (keep ? `(${inner})` : inner) + text.slice(close + 1);
  }
  return text;
}

/**
 * True when Perl's `int(inner)` and this grammar's `inner` give the same value: Perl divides in
 * floating point, so they agree when `inner` divides at most once, last (`MEMMB/1024`, not
 * `MEMMB/1024*2` = 31 in Perl and 30 here, nor `MEMMB-512/1024`).
 */
function intIsIdentity(inner: string): boolean {
  const parsed = parseLease(`x=1:${inner}`);
  if (!parsed.ok) return false;
  const divides = (expr: LeaseExpr): boolean =>
    expr.kind === "binary" ? expr.op === "/" || divides(expr.left) || divides(expr.right) : expr.kind === "negate" ? divides(expr.operand) : false;
  const root = parsed.lease.total;
  if (!divides(root)) return true;
  return root.kind === "binary" && root.op === "/" && !divides(root.left) && !divides(root.right);
}

class LeaseSyntaxError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
  }
}

function parseOrThrow(text: string): Lease {
  if (text.length > LEASE_MAX_LENGTH) throw new LeaseSyntaxError(`is ${text.length} characters long; the limit is ${LEASE_MAX_LENGTH}`, LEASE_MAX_LENGTH + 1);
  const eq = text.indexOf("=");
  if (eq === -1) throw new LeaseSyntaxError(`needs "=": write ${LEASE_RULE.split(":")[0]}, for example db=1:4`, text.length + 1);
  const resource = text.slice(0, eq);
  const problem = resourceNameProblem(resource);
  if (problem !== undefined) {
    const bad = RESOURCE_ALPHABET.exec(resource);
    throw new LeaseSyntaxError(`RESOURCE ${JSON.stringify(resource)} ${problem}`, bad && resource.length <= RESOURCE_MAX_LENGTH ? bad.index + 1 : 1);
  }
  const macro = /CPU|MEMMB/.exec(resource);
  if (macro) {
    throw new LeaseSyntaxError(
      `RESOURCE ${JSON.stringify(resource)} contains the macro ${macro[0]}, which App::switchman would replace by a number: only FQDN may appear in a resource name`,
      macro.index + 1,
    );
  }
  const colon = text.indexOf(":", eq + 1);
  if (colon === -1) throw new LeaseSyntaxError(`needs COUNT:TOTAL after "=", for example ${resource}=1:4`, text.length + 1);
  const countParser = new ExpressionParser(text, eq + 1, colon, "COUNT");
  const totalParser = new ExpressionParser(text, colon + 1, text.length, "TOTAL");
  return {
    text,
    resource,
    perHost: resource.includes(FQDN_MACRO),
    count: countParser.parse(),
    total: totalParser.parse(),
    countColumn: countParser.startColumn,
    totalColumn: totalParser.startColumn,
  };
}

type Token =
  | { kind: "number"; value: number; column: number }
  | { kind: "name"; name: string; column: number }
  | { kind: "op"; op: "+" | "-" | "*" | "/" | "(" | ")"; column: number }
  | { kind: "end"; column: number }
  /** A character no token starts with: thrown when the parser reaches it, so errors come left to right. */
  | { kind: "error"; message: string; column: number };

/** How deep parentheses and unary minus may nest (the recursion stays shallow). */
const MAX_DEPTH = 64;

/** One COUNT or TOTAL: `text.slice(start, end)`, columns counted in the whole text. */
class ExpressionParser {
  private readonly tokens: Token[];
  private position = 0;
  private depth = 0;

  constructor(
    text: string,
    start: number,
    end: number,
    private readonly what: "COUNT" | "TOTAL",
  ) {
    this.tokens = tokenize(text, start, end, what);
  }

  /** The column of the first token. */
  get startColumn(): number {
    return (this.tokens[0] as Token).column;
  }

  parse(): LeaseExpr {
    const first = this.peek();
    if (first.kind === "end") {
      throw new LeaseSyntaxError(`${this.what} is empty`, first.column);
    }
    const expr = this.sum();
    const rest = this.peek();
    if (rest.kind !== "end") {
      const where = rest.kind === "op" && rest.op === ")" ? 'a ")" without its "("' : `${describe(rest)} where an operator (+ - * /) or the end was expected`;
      throw new LeaseSyntaxError(`${this.what} has ${where}`, rest.column);
    }
    return expr;
  }

  private peek(): Token {
    const token = this.tokens[this.position] as Token;
    if (token.kind === "error") throw new LeaseSyntaxError(token.message, token.column);
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.position += 1;
    return token;
  }

  private sum(): LeaseExpr {
    let left = this.product();
    for (let token = this.peek(); token.kind === "op" && (token.op === "+" || token.op === "-"); token = this.peek()) {
      this.next();
      left = { kind: "binary", op: token.op, left, right: this.product(), column: left.column, opColumn: token.column };
    }
    return left;
  }

  private product(): LeaseExpr {
    let left = this.unary();
    for (let token = this.peek(); token.kind === "op" && (token.op === "*" || token.op === "/"); token = this.peek()) {
      this.next();
      left = { kind: "binary", op: token.op, left, right: this.unary(), column: left.column, opColumn: token.column };
    }
    return left;
  }

  private unary(): LeaseExpr {
    const token = this.peek();
    if (token.kind === "op" && token.op === "-") {
      this.next();
      return this.nested(token.column, () => ({ kind: "negate", operand: this.unary(), column: token.column }));
    }
    return this.primary();
  }

  private primary(): LeaseExpr {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return token;
      case "name":
        return { kind: "macro", name: macroName(token, this.peek(), this.what), column: token.column };
      case "op":
        if (token.op === "(") {
          const inner = this.nested(token.column, () => this.sum());
          const close = this.next();
          if (close.kind !== "op" || close.op !== ")") {
            throw new LeaseSyntaxError(`${this.what} has a "(" at column ${token.column} that is not closed (found ${describe(close)})`, close.column);
          }
          return { ...inner, column: token.column };
        }
        throw new LeaseSyntaxError(`${this.what} has ${describe(token)} where a number, CPU, MEMMB or "(" was expected`, token.column);
      case "end":
        throw new LeaseSyntaxError(`${this.what} ends where a number, CPU, MEMMB or "(" was expected`, token.column);
      case "error":
        throw new LeaseSyntaxError(token.message, token.column);
    }
  }

  private nested(column: number, parse: () => LeaseExpr): LeaseExpr {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new LeaseSyntaxError(`${this.what} nests deeper than ${MAX_DEPTH} levels`, column);
    const expr = parse();
    this.depth -= 1;
    return expr;
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case "number":
      return `the number ${token.value}`;
    case "name":
      return `the name ${token.name}`;
    case "op":
      return `"${token.op}"`;
    case "end":
      return "the end";
    case "error":
      return "an error";
  }
}

function macroName(token: { name: string; column: number }, following: Token, what: string): LeaseMacro {
  const { name, column } = token;
  if (name === "CPU" || name === "MEMMB") return name;
  if (name === FQDN_MACRO) {
    throw new LeaseSyntaxError(`${what} cannot use FQDN: it is this host's name, not a number (FQDN belongs in RESOURCE, as in FQDN_cpu=1:CPU)`, column);
  }
  if (name.toLowerCase() === "int" && following.kind === "op" && following.op === "(") {
    throw new LeaseSyntaxError(`${what} cannot call int(): "/" already rounds toward zero (write MEMMB/1024, not int(MEMMB/1024))`, column);
  }
  const upper = name.toUpperCase();
  if (upper === "CPU" || upper === "MEMMB" || upper === FQDN_MACRO) throw new LeaseSyntaxError(`${what} has ${name}: macros are written in upper case (${upper})`, column);
  throw new LeaseSyntaxError(`${what} has the unknown name ${JSON.stringify(name)} (${what} takes ${EXPRESSION_WORDS})`, column);
}

function tokenize(text: string, start: number, end: number, what: string): Token[] {
  const tokens: Token[] = [];
  const stop = (message: string, column: number): Token[] => [...tokens, { kind: "error", message, column }];
  let i = start;
  while (i < end) {
    const character = text[i] as string;
    const column = i + 1;
    if (character === " " || character === "\t") {
      i += 1;
    } else if (/[0-9]/.test(character)) {
      let j = i;
      while (j < end && /[0-9]/.test(text[j] as string)) j += 1;
      const digits = text.slice(i, j);
      const value = Number(digits);
      if (j < end && /[A-Za-z_.]/.test(text[j] as string)) {
        return stop(`${what} has ${JSON.stringify(text.slice(i, j + 1))}: a number must be followed by an operator (write 2*CPU, not 2CPU; whole numbers only)`, j + 1);
      }
      if (digits.length > 1 && digits.startsWith("0")) {
        return stop(`${what} has the number ${digits} with a leading zero (App::switchman's Perl would read it as octal): write ${String(value)}`, column);
      }
      if (!Number.isSafeInteger(value)) return stop(`${what} has the number ${digits}, larger than ${Number.MAX_SAFE_INTEGER}`, column);
      tokens.push({ kind: "number", value, column });
      i = j;
    } else if (/[A-Za-z_]/.test(character)) {
      let j = i;
      while (j < end && /[A-Za-z0-9_]/.test(text[j] as string)) j += 1;
      tokens.push({ kind: "name", name: text.slice(i, j), column });
      i = j;
    } else if ("+-*/()".includes(character)) {
      tokens.push({ kind: "op", op: character as "+" | "-" | "*" | "/" | "(" | ")", column });
      i += 1;
    } else {
      const hint = character === ":" ? ' (only one ":" separates COUNT from TOTAL)' : character === "%" ? " (no modulo)" : "";
      return stop(`${what} has ${JSON.stringify(character)}${hint}; ${what} takes ${EXPRESSION_WORDS}`, column);
    }
  }
  tokens.push({ kind: "end", column: end + 1 });
  return tokens;
}

type Evaluated = { ok: true; value: number } | ({ ok: false } & LeaseProblem);

/** The value of `expr`; with no `values`, undefined for an expression that uses a macro. */
function evaluate(expr: LeaseExpr, values: Record<LeaseMacro, number>): Evaluated;
function evaluate(expr: LeaseExpr, values: Record<LeaseMacro, number> | undefined): { ok: true; value: number | undefined } | ({ ok: false } & LeaseProblem);
function evaluate(expr: LeaseExpr, values: Record<LeaseMacro, number> | undefined): { ok: true; value: number | undefined } | ({ ok: false } & LeaseProblem) {
  switch (expr.kind) {
    case "number":
      return { ok: true, value: expr.value };
    case "macro":
      return { ok: true, value: values?.[expr.name] };
    case "negate": {
      const operand = evaluate(expr.operand, values);
      return !operand.ok || operand.value === undefined ? operand : { ok: true, value: 0 - operand.value };
    }
    case "binary": {
      const left = evaluate(expr.left, values);
      if (!left.ok) return left;
      const right = evaluate(expr.right, values);
      if (!right.ok) return right;
      if (expr.op === "/" && right.value === 0) {
        return { ok: false, column: expr.right.column, message: `divides by zero (the divisor at column ${expr.right.column} is 0${values ? " on this host" : ""})` };
      }
      if (left.value === undefined || right.value === undefined) return { ok: true, value: undefined };
      const value = apply(expr.op, left.value, right.value);
      if (!Number.isSafeInteger(value)) {
        return { ok: false, column: expr.opColumn, message: `overflows at column ${expr.opColumn} (beyond ${Number.MAX_SAFE_INTEGER}${values ? " on this host" : ""})` };
      }
      return { ok: true, value };
    }
  }
}

function apply(op: "+" | "-" | "*" | "/", left: number, right: number): number {
  switch (op) {
    case "+":
      return left + right;
    case "-":
      return left - right;
    case "*":
      return left * right;
    case "/":
      // Toward zero, like Perl's int() and C; exact in BigInt (a float quotient may round up
      // to the next integer near 2^53), and Number() of 0n is 0, never -0.
      return Number(BigInt(left) / BigInt(right));
  }
}

function rangeProblem(lease: Lease, count: number, total: number): LeaseProblem | undefined {
  if (total < 1) return { column: lease.totalColumn, message: `TOTAL is ${total}; it must be at least 1` };
  if (count < 1) return { column: lease.countColumn, message: `COUNT is ${count}; it must be at least 1` };
  if (count > total) return { column: lease.countColumn, message: `COUNT is ${count}, more than TOTAL ${total}; a run cannot take more than the whole resource` };
  return undefined;
}
