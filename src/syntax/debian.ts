/** Name syntaxes that Debian defines: package names and user names. */

/** Debian Policy 5.6.7: package names are `[a-z0-9][a-z0-9.+-]+`. */
export const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9.+-]+$/;

/** The package name rule as messages show it. */
export const DEBIAN_PACKAGE_NAME_RULE = "[a-z0-9][a-z0-9.+-]+";

/** True when `name` is a Debian package name. */
export function isDebianPackageName(name: string): boolean {
  return DEBIAN_PACKAGE_NAME.test(name);
}

/** Debian's default NAME_REGEX (adduser.conf(5)) plus the 32-character limit of useradd(8). */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The user name rule as messages show it. */
export const USER_NAME_RULE = "[a-z_][a-z0-9_-]*, at most 32 characters";

/** True when `name` is a valid user name. */
export function isUserName(name: string): boolean {
  return USER_NAME.test(name);
}
