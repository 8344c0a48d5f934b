/**
 * The rules of `cronmeta check`, in documentation order: the lint rules that apply to crontab
 * lines as well (same ids and messages), then the check-only rules.
 */
import type { CheckRule } from "../rule.js";
import { crontabCarriageReturn } from "./crontab-carriage-return.js";
import { crontabEnvInvalid } from "./crontab-env-invalid.js";
import { crontabEnvUnsupported } from "./crontab-env-unsupported.js";
import { crontabEnvValue } from "./crontab-env-value.js";
import { crontabFileMode } from "./crontab-file-mode.js";
import { crontabFileName } from "./crontab-file-name.js";
import { crontabFinalNewline } from "./crontab-final-newline.js";
import { crontabLineInvalid } from "./crontab-line-invalid.js";
import { crontabPercent } from "./crontab-percent.js";
import { crontabTooManyLines } from "./crontab-too-many-lines.js";
import { crontabUserField } from "./crontab-user-field.js";
import { crontabUserUnknown } from "./crontab-user-unknown.js";
import { checkLineTooLong } from "./line-too-long.js";
import { checkCronDayOr, checkCronReboot, checkCronTimeInvalid, checkCronTimeNever, checkCronTimeOnce } from "./time-rules.js";

/** The lint rules `cronmeta check` applies too. */
export const SHARED_CHECK_RULES: readonly CheckRule[] = [
  checkCronTimeInvalid,
  checkCronTimeNever,
  checkCronTimeOnce,
  checkCronDayOr,
  checkCronReboot,
  checkLineTooLong,
];

/** The rules only `cronmeta check` has. */
export const CHECK_ONLY_RULES: readonly CheckRule[] = [
  crontabLineInvalid,
  crontabEnvInvalid,
  crontabEnvValue,
  crontabEnvUnsupported,
  crontabUserUnknown,
  crontabUserField,
  crontabPercent,
  crontabCarriageReturn,
  crontabFinalNewline,
  crontabTooManyLines,
  crontabFileName,
  crontabFileMode,
];

/** Every rule of `cronmeta check`. */
export const CHECK_RULES: readonly CheckRule[] = [...SHARED_CHECK_RULES, ...CHECK_ONLY_RULES];
