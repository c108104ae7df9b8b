/**
 * One word for a POSIX shell (bash, sh): the value in single quotes, each single quote inside it
 * closed, escaped and reopened, so nothing in it is expanded; the empty string is an empty pair of
 * quotes, an empty argument. Pure.
 */
export function shellQuote(s: string): string {
    const escaped = s.replace(/'/g, `'\\''`);
    return `'${escaped}'`;
}
