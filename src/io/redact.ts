/**
 * Redaction of secrets in anything written for people: tokens, codes, client
 * secrets and passwords never reach stderr, whatever the log level.
 */

/** What stands in for a secret. */
export const REDACTED = '[REDACTED]';

/** Compact JWS/JWE-looking strings: three or five base64url parts starting with `eyJ` ('{"'). */
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g;
/** Query and form parameters that carry secrets. */
const SECRET_PARAMETER_PATTERN =
  /\b(code|code_verifier|access_token|refresh_token|id_token|client_secret|password|device_code)=([^&\s"']+)/g;
/** Secrets shorter than this are not replaced by value (too likely to match ordinary words). */
const MIN_REGISTERED_SECRET_LENGTH = 4;

/** Replaces registered secrets and anything that looks like a token. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers values that must never be printed (client secret, password, tokens, codes). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value !== undefined && value.length >= MIN_REGISTERED_SECRET_LENGTH) this.secrets.add(value);
    }
  }

  /** Returns `text` with every secret replaced. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result
      .replace(JWT_PATTERN, REDACTED)
      .replace(SECRET_PARAMETER_PATTERN, (_match, name: string) => `${name}=${REDACTED}`);
  }
}
