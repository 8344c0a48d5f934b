/**
 * The `--lease`s of a run, evaluated on this host (issue 16): the macros CPU (online CPUs, as
 * App::switchman's Sys::CPU::cpu_count), MEMMB (MemTotal in MiB, rounded down, as its
 * `int(MemTotal / 1024)`) and FQDN (the name groups are matched with), through the shared
 * grammar of src/syntax/lease.ts (no code evaluation). A lease whose values do not work on this
 * host is a usage error (exit 2) naming it; the same resource twice is one too.
 */
import { cpus, totalmem } from "node:os";
import { evaluateLease, type Lease } from "../../syntax/lease.js";
import { SwitchmanError } from "../coordinator.js";
import type { LeaseRequest } from "./types.js";

/** The leases' values here; SwitchmanError 2 naming the first that has none. */
export function evaluateLeases(leases: readonly Lease[], fqdn: string): LeaseRequest[] {
  const facts = { cpus: Math.max(1, cpus().length), memMb: Math.floor(totalmem() / 1048576), fqdn };
  const out: LeaseRequest[] = [];
  for (const lease of leases) {
    const value = evaluateLease(lease, facts);
    if (!value.ok) throw new SwitchmanError(`--lease ${JSON.stringify(lease.text)}: ${value.message} (column ${value.column})`, 2);
    if (out.some((l) => l.resource === value.value.resource)) {
      throw new SwitchmanError(`--lease ${JSON.stringify(lease.text)}: resource ${value.value.resource} is leased twice; give it once with the sum`, 2);
    }
    out.push(value.value);
  }
  return out;
}
