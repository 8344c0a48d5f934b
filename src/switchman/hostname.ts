/**
 * This host's name for groups and lock data (SPEC 8.5): the FQDN, as App::switchman's
 * Sys::Hostname::FQDN gives it. Node has no getfqdn(), so this asks `hostname --fqdn`
 * (Debian's hostname package: getaddrinfo with AI_CANONNAME on the host name), which may
 * wait on DNS: it gets a hard timeout and falls back to os.hostname().
 */
import { hostname } from "node:os";
import { isPlausibleHostName } from "../syntax/group.js";

/** How long `hostname --fqdn` may take before switchman settles for os.hostname(). */
export const FQDN_TIMEOUT_MS = 2000;

/**
 * The FQDN of this host: `SWITCHMAN_HOSTNAME` when set (containers, tests), else
 * `hostname --fqdn`, else os.hostname(). Never rejects, never takes longer than the timeout.
 */
export async function hostFqdn(env: Record<string, string | undefined>, timeoutMs = FQDN_TIMEOUT_MS): Promise<string> {
  const override = env.SWITCHMAN_HOSTNAME;
  if (override !== undefined && override !== "") return override;
  const fallback = hostname();
  // Loaded here, not at the top: with SWITCHMAN_HOSTNAME a start never loads node:child_process.
  const { execFile } = await import("node:child_process");
  return new Promise((resolve) => {
    try {
      execFile("hostname", ["--fqdn"], { timeout: timeoutMs, killSignal: "SIGKILL", env: { PATH: env.PATH ?? "/usr/bin:/bin" } }, (error, stdout) => {
        const name = String(stdout).trim();
        resolve(error === null && isPlausibleHostName(name) ? name : fallback);
      });
    } catch {
      resolve(fallback);
    }
  });
}
