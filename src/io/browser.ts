/**
 * Opening the login URL: the default browser through `open`, a
 * `--browser-command`, or only printing the URL.
 */
import { spawn } from 'node:child_process';
import type { Logger } from './logger.ts';

/** How the URL should be opened. */
export interface BrowserSettings {
  skipOpenBrowser: boolean;
  browserCommand: string | undefined;
}

/** Opens a URL for the person: the shape of `Deps.openBrowser`, which defaults to {@link openBrowser} in the process's environment. */
export type OpenBrowser = (url: string, settings: BrowserSettings, logger: Logger) => Promise<void>;

/** Tells the person to open the URL themselves. */
function printUrl(url: string, logger: Logger): void {
  logger.info(`Please visit the following URL in your browser: ${url}`);
}

/**
 * Opens `url` and returns at once; the login goes on whether or not a browser
 * appeared, so a failure only prints the URL for the person to open. A
 * `--browser-command` runs in `env`.
 */
export async function openBrowser(
  url: string,
  settings: BrowserSettings,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<void> {
  if (settings.skipOpenBrowser) {
    printUrl(url, logger);
    return;
  }
  if (settings.browserCommand !== undefined) {
    runBrowserCommand(settings.browserCommand, url, env, logger);
    return;
  }
  // `open` resolves before the browser starts and never reports failure, so the URL is always shown too.
  logger.info(`Opening the browser for authentication; if it does not open, visit ${url}`);
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.on('error', () => printUrl(url, logger));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) printUrl(url, logger);
    });
    child.unref();
  } catch (error) {
    logger.debug(`could not open the browser: ${(error as Error).message}`);
  }
}

/**
 * Runs `<command> <url>` without a shell. Its output never reaches stdout; a
 * browser's chatter is dropped unless `-v1`, where it is logged, redacted.
 */
function runBrowserCommand(command: string, url: string, env: NodeJS.ProcessEnv, logger: Logger): void {
  logger.debug(`running the browser command ${command}`);
  const verbose = logger.level >= 1;
  const child = spawn(command, [url], {
    env,
    stdio: ['ignore', verbose ? 'pipe' : 'ignore', verbose ? 'pipe' : 'ignore'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    stream.setEncoding('utf8').on('data', (text: string) => logger.debug(`browser command: ${text.trimEnd()}`));
    // A browser may outlive the login; its pipes must not keep kubelogin running.
    (stream as unknown as { unref(): void }).unref();
  }
  child.on('error', (error) => {
    logger.warn(`could not run the browser command ${command}: ${error.message}`);
    printUrl(url, logger);
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) {
      logger.warn(`the browser command ${command} exited with code ${code}`);
      printUrl(url, logger);
    }
  });
  child.unref();
}
