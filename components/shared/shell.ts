// Quoting for the commands the stack hands a team (`runCommands`). Pure; no SDK.

/**
 * `s` as one word of a POSIX shell: as is when it holds only characters no shell treats specially,
 * otherwise in single quotes, each `'` written as `'\''`. Pure.
 */
export function shellQuote(s: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
