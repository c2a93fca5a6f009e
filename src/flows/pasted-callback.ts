/**
 * What a person pastes at the browser login's prompt: the authorization code,
 * or the whole URL the browser was redirected to (an unreachable page when
 * the browser is on another machine). A URL is checked as the loopback
 * server checks a callback: only this login's `state` counts.
 */
import { AuthError } from '../core/errors.ts';

/** What a paste amounts to: a code to exchange, the provider's refusal, or a problem to say before asking again. */
export type PasteVerdict = { code: string } | { refusal: AuthError } | { problem: string };

/** The query parameters of a redirect: `code`, `state` or `error`. */
const CALLBACK_PARAMETER = /(?:^|[?&])(?:code|state|error)=/;
/** A bare authorization code: printable ASCII without spaces (RFC 6749 allows more, no provider issues it). */
const BARE_CODE = /^[\x21-\x7e]+$/;

/** The query of a pasted URL (or of a bare `?code=...&state=...`), without a fragment. */
function queryOf(paste: string): URLSearchParams {
  const query = paste.slice(paste.indexOf('?') + 1).split('#')[0] ?? '';
  return new URLSearchParams(query);
}

/**
 * Reads a paste for the login whose `state` is `expectedState`. A URL with
 * another state or none is a problem (any page could have made one), as is
 * one without a code; with this login's state and `error`, the provider's
 * refusal ends the login as a callback's would. The messages never repeat
 * the paste, which may hold a code.
 */
export function readPaste(paste: string, expectedState: string): PasteVerdict {
  const text = paste.trim();
  if (/^https?:\/\//i.test(text) || CALLBACK_PARAMETER.test(text)) {
    const params = queryOf(text);
    const state = params.get('state');
    if (state === null) {
      return { problem: 'The pasted URL has no state: paste the whole URL of the page the browser ended on.' };
    }
    if (state !== expectedState) {
      return {
        problem:
          "The pasted URL is not this login's (its state differs): paste the URL the browser ended on for this login.",
      };
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      return {
        refusal: new AuthError(`the provider returned ${error}${description ? `: ${description}` : ''}`, {
          oauthError: error,
        }),
      };
    }
    const code = params.get('code');
    if (!code)
      return { problem: 'The pasted URL carries no code: paste the URL the browser ended on after logging in.' };
    return { code };
  }
  if (BARE_CODE.test(text)) return { code: text };
  return { problem: 'That is neither an authorization code nor the URL the browser was sent to.' };
}
