/** Name syntaxes that Debian defines, shared by the config schema and the lint rules. */

/** Debian Policy 5.6.7: package names are `[a-z0-9][a-z0-9.+-]+`. */
export const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9.+-]+$/;

/** Debian's default NAME_REGEX (adduser.conf(5)) plus the 32-character limit of useradd(8). */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
