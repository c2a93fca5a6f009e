/**
 * The guard against browser-tab storms: IDEs and dashboards run the plugin
 * in the background again and again. When a browser login for a cache key
 * was left unfinished a short while ago, a run nobody watches fails at once
 * instead of opening yet another tab. A run from a terminal always may log in.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How long after an unfinished browser login background runs stay away from the browser. */
export const STORM_GUARD_WINDOW_MS = 5 * 60 * 1000;

/** The directory of the markers, given kubelogin's per-user cache directory of the OS. */
export function stormGuardDirectory(userCacheDir: string): string {
  return join(userCacheDir, 'unfinished-logins');
}

/** Markers of unfinished logins, one empty file per cache key. */
export class StormGuard {
  constructor(private readonly directory: string) {}

  /** Milliseconds since a browser login for `key` was left unfinished, if within the window. */
  unfinishedAgo(key: string, nowMs: number): number | undefined {
    try {
      const ago = nowMs - statSync(join(this.directory, key)).mtimeMs;
      return ago < STORM_GUARD_WINDOW_MS ? ago : undefined;
    } catch {
      return undefined;
    }
  }

  /** Notes that a browser login for `key` timed out unfinished. A failure to note it only loses the guard. */
  recordUnfinished(key: string): void {
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(join(this.directory, key), '', { mode: 0o600 });
    } catch {
      // Best effort: the guard is a courtesy, never a reason to fail a login.
    }
  }

  /** Forgets an unfinished login once one succeeded. */
  clear(key: string): void {
    try {
      rmSync(join(this.directory, key), { force: true });
    } catch {
      // Best effort, as recording: a login that succeeded must not fail here.
    }
  }
}
