/**
 * The one way kubelogin writes a time: RFC 3339 in UTC, to the second
 * (`2030-01-01T00:00:00Z`), for people, JSON and kubectl's ExecCredential.
 */

/** A time in seconds since the epoch as `2030-01-01T00:00:00Z`; fractions of a second are dropped. */
export function isoTime(epochSeconds: number): string {
  // Cut by length, not by a regular expression: compiling one is the dearest step of a cold cache hit.
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, -'.000Z'.length)}Z`;
}
