// How Debian's cron (3.0pl1-162, load_env() in env.c) reads environment lines: each case is a
// line and the setting cron reads from it, or `undefined` when cron takes the line for no
// setting (then for a job line, which fails: the whole file is ignored). Observed with the
// real daemon (a job printing its environment) and `crontab -n`; the system test
// test/system/cron/env-values.test.ts keeps checking every case against both.

export interface EnvLineCase {
  line: string;
  reads: { name: string; value: string } | undefined;
}

const y = (n: number): string => "y".repeat(n);

export const envLineCases: EnvLineCase[] = [
  { line: "PLAIN=value", reads: { name: "PLAIN", value: "value" } },
  { line: "SPACED = spaced", reads: { name: "SPACED", value: "spaced" } },
  { line: "INNER=a b=c", reads: { name: "INNER", value: "a b=c" } },
  { line: "HASH=x#y # z", reads: { name: "HASH", value: "x#y # z" } },
  // blanks around an unquoted value are dropped; quotes keep leading blanks only
  { line: "LEAD=  lead", reads: { name: "LEAD", value: "lead" } },
  { line: "TRAIL=trail   ", reads: { name: "TRAIL", value: "trail" } },
  { line: 'QLEAD="  lead"', reads: { name: "QLEAD", value: "  lead" } },
  { line: 'QBOTH=" x "', reads: { name: "QBOTH", value: " x" } },
  { line: 'QBLANK=" "', reads: { name: "QBLANK", value: "" } },
  { line: 'QEMPTY=""', reads: { name: "QEMPTY", value: "" } },
  { line: 'QAFTER="a" ', reads: { name: "QAFTER", value: "a" } },
  // one pair of matching outer quotes goes even from inside quotes
  { line: `DOUBLE='"x@example.com"'`, reads: { name: "DOUBLE", value: "x@example.com" } },
  { line: `SINGLE="'x'"`, reads: { name: "SINGLE", value: "x" } },
  { line: `MIXED='a"b'`, reads: { name: "MIXED", value: 'a"b' } },
  { line: `APOS="it's"`, reads: { name: "APOS", value: "it's" } },
  { line: 'ENDQ=x"', reads: { name: "ENDQ", value: 'x"' } },
  { line: 'INQ=a"b"c', reads: { name: "INQ", value: 'a"b"c' } },
  { line: `STARTQ="'x"`, reads: { name: "STARTQ", value: "'x" } },
  { line: '"QNAME"=v', reads: { name: "QNAME", value: "v" } },
  // cron reads at most 998 bytes of a line: a longer bare value is cut, a quoted one unclosed
  { line: `L997=${y(992)}`, reads: { name: "L997", value: y(992) } },
  { line: `L998=${y(993)}`, reads: { name: "L998", value: y(993) } },
  { line: `L999=${y(994)}`, reads: { name: "L999", value: y(993) } },
  { line: `Q998="${y(991)}"`, reads: { name: "Q998", value: y(991) } },
  { line: `Q999="${y(992)}"`, reads: undefined },
  // no setting at all
  { line: "EMPTY=", reads: undefined },
  { line: "BLANKS=   ", reads: undefined },
  { line: 'UNCLOSED="x', reads: undefined },
  { line: 'AFTER="x" y', reads: undefined },
  { line: `TWICE='x'y'`, reads: undefined },
  { line: `BOTH='"x'y'`, reads: undefined },
];
