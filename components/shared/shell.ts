/**
 * One word for a POSIX shell (bash, sh): the value in single quotes, each `'` written as `'\''`, so
 * nothing in it is expanded; the empty string is `''`, an empty argument. Pure.
 */
export function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
