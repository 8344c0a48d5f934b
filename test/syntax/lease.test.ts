// Leases, RESOURCE=COUNT:TOTAL (src/syntax/lease.ts, issue 16): the grammar, its integer
// semantics and its messages, as a table; docs/lease-grammar.md's table must agree with the code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type HostFacts,
  evaluateLease,
  formatLease,
  leaseConstantProblem,
  leaseProblem,
  leaseSuggestion,
  parseLease,
} from "../../src/syntax/lease.js";
import { repoRoot } from "../helpers/paths.js";

/** The host of every table: 8 CPUs, 16000 MiB, db1.example.org. */
const HOST: HostFacts = { cpus: 8, memMb: 16000, fqdn: "db1.example.org" };

function valueOf(text: string, facts: HostFacts = HOST): string {
  const parsed = parseLease(text);
  if (!parsed.ok) return `syntax error at column ${parsed.column}: ${parsed.message}`;
  const evaluated = evaluateLease(parsed.lease, facts);
  if (!evaluated.ok) return `error at column ${evaluated.column}: ${evaluated.message}`;
  const { resource, count, total } = evaluated.value;
  return `${resource} ${count}/${total}`;
}

// lease as written → "resource count/total" on HOST
const GOOD: [string, string][] = [
  ["db=1:4", "db 1/4"],
  ["db=4:4", "db 4/4"],
  ["rr=1:1", "rr 1/1"],
  ["FQDN_cpu=1:CPU", "db1.example.org_cpu 1/8"],
  ["FQDN_mem=4096:MEMMB", "db1.example.org_mem 4096/16000"],
  ["FQDN_mem=4:MEMMB/1024", "db1.example.org_mem 4/15"], // 15.6 rounds toward zero
  ["heavy.FQDN.FQDN=1:2", "heavy.db1.example.org.db1.example.org 1/2"],
  ["cpu=CPU/2:CPU", "cpu 4/8"],
  ["cpu=1:CPU-1", "cpu 1/7"],
  ["cpu=1:CPU*2+1", "cpu 1/17"], // * before +
  ["cpu=1:(CPU+1)*2", "cpu 1/18"],
  ["cpu=1:CPU-2-3", "cpu 1/3"], // left to right
  ["cpu=1:CPU/2/2", "cpu 1/2"],
  ["cpu=1:100/CPU*CPU", "cpu 1/96"], // (100/8)*8 = 12*8
  ["cpu=1:7/2", "cpu 1/3"],
  ["cpu=1:-7/-2", "cpu 1/3"],
  ["cpu=1:10+-7/2", "cpu 1/7"], // -7/2 = -3, toward zero (flooring would give -4 and 6)
  ["cpu=1:--3", "cpu 1/3"],
  ["cpu=1:-(2-5)", "cpu 1/3"],
  ["cpu=1 : CPU / 2", "cpu 1/4"], // blanks between tokens
  ["cpu=\t2\t:\tCPU", "cpu 2/8"],
  ["x=1:9007199254740991", "x 1/9007199254740991"],
  ["x=1:9007199254740991/3", "x 1/3002399751580330"], // exact, no float rounding
  ["x=1:9007199254740990+1", "x 1/9007199254740991"],
  ["a-b_c.d=1:((((2))))", "a-b_c.d 1/2"],
  ["fqdn=1:2", "fqdn 1/2"], // the macro is upper case only
];

// lease as written → the message (and its column)
const BAD: [string, string][] = [
  ["", 'syntax error at column 1: needs "=": write RESOURCE=COUNT, for example db=1:4'],
  ["db", 'syntax error at column 3: needs "=": write RESOURCE=COUNT, for example db=1:4'],
  ["=1:4", "syntax error at column 1: RESOURCE \"\" is empty"],
  ["db=4", 'syntax error at column 5: needs COUNT:TOTAL after "=", for example db=1:4'],
  ["db=:4", "syntax error at column 4: COUNT is empty"],
  ["db=1:", "syntax error at column 6: TOTAL is empty"],
  ["d b=1:4", 'syntax error at column 2: RESOURCE "d b" contains " "; only letters, digits, ".", "_" and "-" are allowed'],
  ["a/b=1:4", 'syntax error at column 2: RESOURCE "a/b" contains "/"; only letters, digits, ".", "_" and "-" are allowed'],
  ["..=1:4", 'syntax error at column 1: RESOURCE ".." cannot be ".."'],
  [`${"r".repeat(201)}=1:4`, 'syntax error at column 1: RESOURCE "' + "r".repeat(201) + '" is 201 characters long; the limit is 200'],
  ["CPU=1:CPU", 'syntax error at column 1: RESOURCE "CPU" contains the macro CPU, which App::switchman would replace by a number: only FQDN may appear in a resource name'],
  ["FQDN_MEMMB=1:2", 'syntax error at column 6: RESOURCE "FQDN_MEMMB" contains the macro MEMMB, which App::switchman would replace by a number: only FQDN may appear in a resource name'],
  ["db=0:4", "error at column 4: COUNT is 0; it must be at least 1"],
  ["db=5:4", "error at column 4: COUNT is 5, more than TOTAL 4; a run cannot take more than the whole resource"],
  ["db=1:0", "error at column 6: TOTAL is 0; it must be at least 1"],
  ["db=1:CPU-8", "error at column 6: TOTAL is 0; it must be at least 1"],
  ["db=-1:4", "error at column 4: COUNT is -1; it must be at least 1"],
  ["db=1:CPU/(CPU-8)", "error at column 10: divides by zero (the divisor at column 10 is 0 on this host)"],
  ["db=1:1/0", "error at column 8: divides by zero (the divisor at column 8 is 0 on this host)"],
  ["db=1:9007199254740991+1", "error at column 22: overflows at column 22 (beyond 9007199254740991 on this host)"],
  ["db=1:MEMMB*MEMMB*MEMMB*MEMMB", "error at column 23: overflows at column 23 (beyond 9007199254740991 on this host)"],
  ["db=1:9007199254740992", "syntax error at column 6: TOTAL has the number 9007199254740992, larger than 9007199254740991"],
  ["db=1:08", "syntax error at column 6: TOTAL has the number 08 with a leading zero (App::switchman's Perl would read it as octal): write 8"],
  ["db=1:2CPU", 'syntax error at column 7: TOTAL has "2C": a number must be followed by an operator (write 2*CPU, not 2CPU; whole numbers only)'],
  ["db=1:1.5", 'syntax error at column 7: TOTAL has "1.": a number must be followed by an operator (write 2*CPU, not 2CPU; whole numbers only)'],
  ["db=1:FQDN", "syntax error at column 6: TOTAL cannot use FQDN: it is this host's name, not a number (FQDN belongs in RESOURCE, as in FQDN_cpu=1:CPU)"],
  ["db=4:int(MEMMB/1024)", 'syntax error at column 6: TOTAL cannot call int(): "/" already rounds toward zero (write MEMMB/1024, not int(MEMMB/1024))'],
  ["db=1:cpu", "syntax error at column 6: TOTAL has cpu: macros are written in upper case (CPU)"],
  ["db=1:NCPU", 'syntax error at column 6: TOTAL has the unknown name "NCPU" (TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses)'],
  ["db=1:system('rm')", "syntax error at column 6: TOTAL has the unknown name \"system\" (TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses)"],
  ["db=1:`id`", 'syntax error at column 6: TOTAL has "`"; TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses'],
  ["db=1:2:3", 'syntax error at column 7: TOTAL has ":" (only one ":" separates COUNT from TOTAL); TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses'],
  ["db=1:CPU%2", 'syntax error at column 9: TOTAL has "%" (no modulo); TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses'],
  ["db=1:2**3", 'syntax error at column 8: TOTAL has "*" where a number, CPU, MEMMB or "(" was expected'],
  ["db=1:+2", 'syntax error at column 6: TOTAL has "+" where a number, CPU, MEMMB or "(" was expected'],
  ["db=1:2-", "syntax error at column 8: TOTAL ends where a number, CPU, MEMMB or \"(\" was expected"],
  ["db=1:(2", 'syntax error at column 8: TOTAL has a "(" at column 6 that is not closed (found the end)'],
  ["db=1:2)", 'syntax error at column 7: TOTAL has a ")" without its "("'],
  ["db=1:()", 'syntax error at column 7: TOTAL has ")" where a number, CPU, MEMMB or "(" was expected'],
  ["db=1 2:4", "syntax error at column 6: COUNT has the number 2 where an operator (+ - * /) or the end was expected"],
  ["db=1:CPU MEMMB", "syntax error at column 10: TOTAL has the name MEMMB where an operator (+ - * /) or the end was expected"],
  [`db=1:${"(".repeat(65)}1${")".repeat(65)}`, "syntax error at column 70: TOTAL nests deeper than 64 levels"],
  [`db=1:${"1+".repeat(500)}1`, "syntax error at column 999: is 1006 characters long; the limit is 998"],
];

test("leases: expressions and the values they give on an 8-CPU, 16000-MiB host", () => {
  for (const [text, expected] of GOOD) assert.equal(valueOf(text), expected, text);
});

test("leases: bad ones, with the message and the column of the error", () => {
  for (const [text, expected] of BAD) assert.equal(valueOf(text), expected, text);
});

test("per-host resources: FQDN replaced on each host, and a host name that cannot be a resource name", () => {
  assert.equal(valueOf("FQDN_cpu=1:CPU", { cpus: 2, memMb: 512, fqdn: "web7" }), "web7_cpu 1/2");
  assert.equal(valueOf("FQDN_cpu=1:CPU", { ...HOST, fqdn: "bad host" }), 'error at column 1: RESOURCE "FQDN_cpu" on this host is "bad host_cpu", which contains " "; only letters, digits, ".", "_" and "-" are allowed');
  assert.match(valueOf("FQDN_cpu=1:CPU", { ...HOST, fqdn: "h".repeat(200) }), /is 204 characters long; the limit is 200$/);
  const parsed = parseLease("FQDN_cpu=1:CPU");
  assert.ok(parsed.ok && parsed.lease.perHost);
  const shared = parseLease("db=1:4");
  assert.ok(shared.ok && !shared.lease.perHost);
  assert.equal(valueOf("db=1:CPU", { ...HOST, cpus: 0 }), "error at column 1: this host's CPU is 0, not a whole number >= 1");
});

test("the same lease gives each host its own values", () => {
  assert.equal(valueOf("FQDN_cpu=2:CPU", { cpus: 1, memMb: 512, fqdn: "small" }), "error at column 10: COUNT is 2, more than TOTAL 1; a run cannot take more than the whole resource");
  assert.equal(valueOf("FQDN_cpu=2:CPU", { cpus: 64, memMb: 512, fqdn: "big" }), "big_cpu 2/64");
});

test("the linter's check: problems every host would have, none that depend on the host", () => {
  const constant = (text: string) => {
    const parsed = parseLease(text);
    assert.ok(parsed.ok, text);
    return leaseConstantProblem(parsed.lease)?.message;
  };
  assert.equal(constant("db=1:4"), undefined);
  assert.equal(constant("db=5:4"), "COUNT is 5, more than TOTAL 4; a run cannot take more than the whole resource");
  assert.equal(constant("db=0:CPU"), "COUNT is 0; it must be at least 1");
  assert.equal(constant("db=1:CPU-8"), undefined, "fails on an 8-CPU host only: switchman says so there");
  assert.equal(constant("db=9:CPU"), undefined);
  assert.equal(constant("db=CPU:0"), "TOTAL is 0; it must be at least 1");
  assert.equal(constant("db=1:CPU/0"), "divides by zero (the divisor at column 10 is 0)");
  assert.equal(constant("db=1:9007199254740991*2"), "overflows at column 22 (beyond 9007199254740991)");
});

test("formatLease drops blanks and keeps the value; leaseProblem agrees with parseLease", () => {
  const parsed = parseLease("db = 1");
  assert.ok(!parsed.ok);
  for (const text of ["cpu=1 : CPU / 2", "x=\t- -3 : 4", "x=1:( CPU + 1 ) * 2"]) {
    const lease = parseLease(text);
    assert.ok(lease.ok, text);
    const formatted = formatLease(lease.lease);
    assert.doesNotMatch(formatted, /[ \t]/);
    assert.equal(valueOf(formatted), valueOf(text), text);
  }
  assert.equal(leaseProblem("db=1:4"), undefined);
  assert.deepEqual(leaseProblem("db=1:x"), { column: 6, message: 'TOTAL has the unknown name "x" (TOTAL takes whole numbers, CPU, MEMMB, + - * / and parentheses)' });
});

test("suggestions for bad leases are themselves valid", () => {
  const cases: [string, string | undefined][] = [
    ["db = 1:4", "db=1:4"],
    ["FQDN_mem=4:int(MEMMB/1024)", "FQDN_mem=4:MEMMB/1024"],
    ["FQDN_mem=4:int(MEMMB / 1024)-1", "FQDN_mem=4:MEMMB/1024-1"],
    ["FQDN_mem=4:2*int((MEMMB-512)/1024)", "FQDN_mem=4:2*((MEMMB-512)/1024)"],
    ["FQDN_mem=4:int(MEMMB/1024*2)", undefined], // Perl: 31 on 16000 MiB; here 30: no silent change
    ["FQDN_mem=4:int(MEMMB-512/1024)", undefined],
    ["FQDN_cpu=1:cpu", "FQDN_cpu=1:CPU"],
    ["FQDN_mem=1:memmb/2", "FQDN_mem=1:MEMMB/2"],
    ["db=1:08", "db=1:8"],
    ["db=1:2xCPU", "db=1:2*CPU"],
    ["db=5:4", undefined],
    ["db=1:4", undefined],
    ["db", undefined],
    ["db=1:2CPU", undefined],
  ];
  for (const [text, suggestion] of cases) {
    assert.equal(leaseSuggestion(text), suggestion, text);
    if (suggestion !== undefined) assert.equal(leaseProblem(suggestion), undefined, suggestion);
  }
});

test("docs/lease-grammar.md: every row of its table is what the code gives", () => {
  const doc = readFileSync(join(repoRoot, "docs/lease-grammar.md"), "utf8");
  const rows = [...doc.matchAll(/^\| `([^`]+)` \| (.+?) \|$/gm)];
  assert.ok(rows.length >= 20, "the table has its rows");
  for (const [, text, expected] of rows) {
    const got = valueOf(text as string);
    const shown = got.startsWith("syntax error") || got.startsWith("error") ? got.replace(/^(syntax )?error at column (\d+): /, "column $2: ") : got;
    assert.equal((expected as string).replaceAll("\\|", "|").replace(/^`(.*)`$/, "$1"), shown, text);
  }
});
