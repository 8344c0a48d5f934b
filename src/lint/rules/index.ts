/** The explicit rule registry: every rule cronmeta knows, in documentation order. */
import type { Rule } from "../rule.js";
import { metadataSyntax } from "./metadata-syntax.js";
import { metadataUnknownKey } from "./metadata-unknown-key.js";
import { metadataDuplicateKey } from "./metadata-duplicate-key.js";
import { metadataMissingKey } from "./metadata-missing-key.js";
import { metadataEmpty } from "./metadata-empty.js";
import { metadataValueInvalid } from "./metadata-value-invalid.js";
import { leaseInvalid } from "./lease-invalid.js";
import { leaseTotalMismatch } from "./lease-total-mismatch.js";
import { concurrencyConflict } from "./concurrency-conflict.js";
import { jsdocCommentClosed } from "./jsdoc-comment-closed.js";
import { scanBinarySkipped } from "./scan-binary-skipped.js";
import { cronTimeInvalid } from "./cron-time-invalid.js";
import { cronTimeNever } from "./cron-time-never.js";
import { cronTimeOnce } from "./cron-time-once.js";
import { cronDayOr } from "./cron-day-or.js";
import { cronReboot } from "./cron-reboot.js";
import { cronHashDst } from "./cron-hash-dst.js";
import { cronStampede } from "./cron-stampede.js";
import { packageUnknown } from "./package-unknown.js";
import { packageNameInvalid } from "./package-name-invalid.js";
import { cronFileNameRule } from "./cron-file-name.js";
import { userInvalid } from "./user-invalid.js";
import { userUnknown } from "./user-unknown.js";
import { groupInvalid } from "./group-invalid.js";
import { paramsUnsafe } from "./params-unsafe.js";
import { scriptPathInvalid } from "./script-path-invalid.js";
import { lineTooLong } from "./line-too-long.js";
import { locknameInvalid } from "./lockname-invalid.js";
import { locknameCollision } from "./lockname-collision.js";
import { jobDuplicate } from "./job-duplicate.js";
import { scriptNotInstalled } from "./script-not-installed.js";
import { installLineUnsupported } from "./install-line-unsupported.js";
import { switchmanDependencyMissing } from "./switchman-dependency-missing.js";
import { outputNotGenerated } from "./output-not-generated.js";
import { suppressionInvalid } from "./suppression-invalid.js";
import { suppressionUnused } from "./suppression-unused.js";

/** All rules. */
export const RULES: readonly Rule[] = [
  metadataSyntax,
  metadataUnknownKey,
  metadataDuplicateKey,
  metadataMissingKey,
  metadataEmpty,
  metadataValueInvalid,
  leaseInvalid,
  leaseTotalMismatch,
  concurrencyConflict,
  jsdocCommentClosed,
  scanBinarySkipped,
  cronTimeInvalid,
  cronTimeNever,
  cronTimeOnce,
  cronDayOr,
  cronReboot,
  cronHashDst,
  cronStampede,
  packageUnknown,
  packageNameInvalid,
  cronFileNameRule,
  userInvalid,
  userUnknown,
  groupInvalid,
  paramsUnsafe,
  scriptPathInvalid,
  lineTooLong,
  locknameInvalid,
  locknameCollision,
  jobDuplicate,
  scriptNotInstalled,
  installLineUnsupported,
  switchmanDependencyMissing,
  outputNotGenerated,
  suppressionUnused,
  suppressionInvalid,
];

/** A rule by id. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
