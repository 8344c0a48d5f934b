/**
 * "No control characters": C0 controls (U+0000-U+001F) and DEL (U+007F). One of them in a value
 * that reaches a cron.d line, a comment above it, a log line or a path would split, shift or hide
 * what follows (a newline ends a cron line, a tab shifts a field). Zod-free, like every syntax.
 */

/** The character class, for syntaxes that refuse more than these (see znode.ts). */
export const CONTROL_CLASS = "\\u0000-\\u001f\\u007f";

/** Matches the first control character. */
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL_CLASS}]`);

/** Matches a whole value without one: for schemas, whose JSON Schema carries it as its `pattern`. */
export const NO_CONTROL_CHARACTER = new RegExp(`^[^${CONTROL_CLASS}]*$`);

/** The message of values that must not hold one. */
export const CONTROL_CHARACTER_MESSAGE = "must not contain newlines or control characters";

/** True when `text` holds a control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** Offset of the first control character in `text`, or -1. */
export function controlCharacterOffset(text: string): number {
  return CONTROL_CHARACTER.exec(text)?.index ?? -1;
}

/** `U+000A` for "\n": how diagnostics name a character that cannot be shown. */
export function codePointLabel(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0").toUpperCase()}`;
}

const CONTROL_CHARACTERS = new RegExp(`[${CONTROL_CLASS}]`, "g");

/**
 * `text` with each control character written as an escape (`\n`, `\t`, `\x07`): a log line
 * stays one line whatever a message quotes (a CMD, a path, a host name).
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}
