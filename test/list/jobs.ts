// Hand-made Job values for the list and report tests.
import type { Job } from "../../src/types.js";
import { timeOf } from "./cron-time.js";

/** A job running `time`, with everything else derived from `file` unless given. */
export function jobOf(time: string, file: string, extra: Partial<Omit<Job, "time">> = {}): Job {
  const name = file.split("/").pop() ?? file;
  const pkg = extra.package ?? "pkg";
  const group = extra.group ?? pkg;
  const lockname = extra.lockname ?? name;
  const scriptPath = `/usr/bin/${name}`;
  const command = `/usr/bin/switchman --config /etc/switchman.conf --group ${group} --lockname ${lockname} -- ${scriptPath}`;
  return {
    file,
    line: 3,
    column: 1,
    index: 0,
    package: pkg,
    time: timeOf(time),
    user: "root",
    group,
    lockname,
    lock: true,
    params: "",
    scriptPath,
    command,
    cronLine: `${time} root ${command}`,
    ...extra,
  };
}
