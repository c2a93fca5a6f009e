/**
 * QR codes on a terminal: what the CLI prints decodes (with an independent decoder) to the URL,
 * and a terminal too narrow for the code gets one line instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalQrCode, writeQrCode } from '../../../src/io/qr-code.ts';
import { decodeTerminalQrCodes, TERMINAL_CONTROLS } from '../../support/terminal-qr.ts';

/** An authorization URL as long as the browser login's: PKCE, state, nonce, scopes and a loopback redirect. */
const AUTHORIZATION_URL =
  'https://login.example.com/realms/company/protocol/openid-connect/auth?access_type=offline&response_type=code' +
  '&redirect_uri=http%3A%2F%2Flocalhost%3A8000&scope=email+groups+offline_access+openid' +
  `&state=${'s'.repeat(43)}&nonce=${'n'.repeat(43)}&code_challenge=${'c'.repeat(43)}` +
  '&code_challenge_method=S256&client_id=kubernetes&login_hint=alice%40example.com';
const DEVICE_URL = 'https://login.example.com/device?user_code=WDJB-MJHT';

/** Captures what is written, as a terminal `columns` wide (unknown when undefined). */
function terminal(columns?: number) {
  let text = '';
  return {
    stream: { write: (chunk: string) => (text += chunk), isTTY: true, ...(columns === undefined ? {} : { columns }) },
    text: () => text,
  };
}

describe('terminalQrCode', () => {
  it('decodes back to the URL, a long authorization URL as well as a device URL', () => {
    for (const url of [AUTHORIZATION_URL, DEVICE_URL]) {
      const { lines } = terminalQrCode(url);
      assert.deepEqual(decodeTerminalQrCodes(`${lines.join('\n')}\n`), [url]);
    }
  });

  it('draws every line black on white, as wide as the code, two modules to a line', () => {
    const { lines, columns } = terminalQrCode(AUTHORIZATION_URL);
    for (const line of lines) {
      assert.ok(line.startsWith('\x1b[30;107m') && line.endsWith('\x1b[0m'));
      assert.equal([...line.replace(TERMINAL_CONTROLS, '')].length, columns);
    }
    assert.equal(lines.length, Math.ceil(columns / 2));
    assert.ok(columns <= 80, `a long authorization URL fits an 80-column terminal: ${columns}`);
  });
});

describe('writeQrCode', () => {
  it('writes the code when the terminal is wide enough or its width unknown', () => {
    for (const columns of [undefined, 120]) {
      const out = terminal(columns);
      writeQrCode(DEVICE_URL, out.stream);
      assert.deepEqual(decodeTerminalQrCodes(out.text()), [DEVICE_URL]);
    }
  });

  it('says in one line how wide the terminal must be when it is too narrow', () => {
    const out = terminal(40);
    writeQrCode(AUTHORIZATION_URL, out.stream);
    assert.match(out.text(), /^\(A QR code of this URL needs a terminal \d+ columns wide\.\)\n$/);
  });
});
