/**
 * Typed errors. Every failure the user can act on is a KubeloginError whose
 * message is one line naming what is wrong, with an optional hint line on
 * what to do next. Messages never contain tokens, codes, secrets or passwords.
 * Every failure exits 1, as in the Go kubelogin (kubectl reports only the
 * exit code): the classes serve the code that catches them, not main.ts.
 */

/** What every error takes besides its message. */
export interface ErrorOptions {
  /** What to do next, printed as a `hint:` line. */
  hint?: string;
  cause?: unknown;
}

/** Base of all errors kubelogin reports as `error: <message>`. */
export class KubeloginError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A flag, argument or environment variable is malformed. */
export class UsageError extends KubeloginError {}

/** A file, directory or the environment is not usable. */
export class ConfigError extends KubeloginError {}

/** The provider could not be reached, or its answer could not be used. */
export class NetworkError extends KubeloginError {}

/** A deadline passed while waiting for a person or a process. */
export class TimeoutError extends KubeloginError {}

/**
 * The person did not finish a browser or device login in time: the part in
 * the browser was left unfinished, which the storm guard records (unlike a
 * token request that timed out after it).
 */
export class UnfinishedLoginError extends TimeoutError {}

/** A person is needed (to type a code or a password, or to finish a browser login) but cannot be asked. */
export class InteractionRequiredError extends KubeloginError {}

/** The provider refused the request, or a token failed verification. */
export class AuthError extends KubeloginError {
  /**
   * The OAuth error code, such as `invalid_grant`, when the provider refused
   * with one: a 4xx answer with an `error` field (or a 401 challenge naming
   * it). A 5xx answer is the provider failing, not refusing, and has none.
   */
  readonly oauthError: string | undefined;

  constructor(message: string, options: ErrorOptions & { oauthError?: string } = {}) {
    super(message, options);
    this.oauthError = options.oauthError;
  }
}
