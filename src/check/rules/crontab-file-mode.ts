import { type CheckRule, type CheckedFile } from "../rule.js";

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;

/** database.c process_crontab(): every reason, in cron's order, with the words cron logs. */
function reasons(file: CheckedFile): string[] {
  const facts = file.facts;
  if (facts === undefined) return [];
  const out: string[] = [];
  const target = facts.target;
  if (file.place === "system") {
    if (facts.symlink && facts.linkOwner !== 0) out.push(`the symbolic link is owned by uid ${facts.linkOwner}, not root (cron logs "WRONG SYMLINK OWNER"): chown -h root`);
    if (target === undefined) return [...out, `cron cannot open it (${facts.openError ?? "unknown error"}; cron logs "CAN'T OPEN")`];
    if (target.uid !== 0) out.push(`it is owned by uid ${target.uid}, not root (cron logs "WRONG FILE OWNER"): chown root`);
    if (!target.isFile) out.push(`it is not a regular file (cron logs "NOT A REGULAR FILE")`);
    if ((target.mode & 0o022) !== 0) out.push(`its mode ${octal(target.mode)} lets group or others write it (cron logs "INSECURE MODE (group/other writable)"): chmod go-w, e.g. 0644`);
    if (target.nlink !== 1) out.push(`it has ${target.nlink} hard links (cron logs "NUMBER OF HARD LINKS > 1"): copy it instead of linking`);
    return out;
  }
  // The spool: the file is named after its user, opened with O_NOFOLLOW.
  const user = file.user(file.baseName);
  if (user === undefined) return [`there is no user "${file.baseName}" on this host, whose crontab it would be (cron logs "ORPHAN")`];
  if (facts.symlink) return [`it is a symbolic link, which cron does not follow in the spool (cron logs "CAN'T OPEN")`];
  if (target === undefined) return [`cron cannot open it (${facts.openError ?? "unknown error"}; cron logs "CAN'T OPEN")`];
  if (target.uid !== user.uid && target.uid !== 0) out.push(`it is owned by uid ${target.uid}, neither ${user.name} (${user.uid}) nor root (cron logs "WRONG FILE OWNER")`);
  if (!target.isFile) out.push(`it is not a regular file (cron logs "NOT A REGULAR FILE")`);
  if ((target.mode & 0o7777) !== 0o600) out.push(`its mode is ${octal(target.mode)}, not 0600 (cron logs "INSECURE MODE (mode 0600 expected)"): use crontab(1), or chmod 0600`);
  if (target.nlink !== 1) out.push(`it has ${target.nlink} hard links (cron logs "NUMBER OF HARD LINKS > 1")`);
  return out;
}

export const crontabFileMode: CheckRule = {
  meta: {
    id: "crontab-file-mode",
    description: "An installed crontab whose owner, mode, type or links make cron skip it.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "Before it reads a file, Debian's cron (database.c) checks it and skips it, logging only a short line, when a file of /etc/cron.d or /etc/crontab is not owned by root, is writable by group or others, is not a regular file, has more than one hard link, or is a symbolic link not owned by root; and when a user crontab in /var/spool/cron/crontabs belongs to no user, is a symbolic link, is owned by someone other than its user or root, has a mode other than 0600 or more than one link. `cronmeta check` looks at these for files in those places (or any file, with `--installed`); files without a job are not reported.",
      bad: "-rw-rw-r-- 1 root root  /etc/cron.d/reports",
      good: "-rw-r--r-- 1 root root  /etc/cron.d/reports",
    },
  },
  check(file, report) {
    // A file without a job loses nothing; one cron cannot open may have some.
    if (file.jobs.length === 0 && file.facts?.target !== undefined) return;
    for (const why of reasons(file)) report({ line: 1, column: 1, message: `Debian's cron skips this file, so none of its jobs runs: ${why}` });
  },
};
