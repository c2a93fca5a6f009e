/** The iat and exp lines of setup's report: wall-clock times of the local time zone, with its offset. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSetupReport, type SetupReport } from '../../../src/commands/setup-report.ts';

/** 2026-01-01T00:30:00Z, in seconds: half an hour into the year in UTC, still the old year west of it. */
const NEW_YEAR_UTC = Date.UTC(2026, 0, 1, 0, 30) / 1000;
const LIFETIME_SECONDS = 3600;

/** A report of a token issued at {@link NEW_YEAR_UTC}, shown in the zone `utcOffsetMinutes` gives. */
function report(utcOffsetMinutes: (epochMs: number) => number): SetupReport {
  return {
    issuerUrl: 'https://issuer.example',
    audience: 'kubernetes',
    claims: { iss: 'https://issuer.example', sub: 'alice', iat: NEW_YEAR_UTC, exp: NEW_YEAR_UTC + LIFETIME_SECONDS },
    checks: [],
    providerNotes: undefined,
    usernameClaim: 'sub',
    groupsClaim: 'groups',
    requiredClaims: {},
    usernamePrefix: undefined,
    exchangeAudience: undefined,
    userName: 'oidc',
    execUser: { command: 'kubelogin', args: ['get-token'], interactiveMode: 'Never', provideClusterInfo: false },
    certificateAuthority: undefined,
    utcOffsetMinutes,
  };
}

/** The iat and exp lines of the rendered report. */
function timeLines(text: string): string[] {
  return text.split('\n').filter((line) => /^ {2}(iat|exp) {2}/.test(line));
}

describe('setup report times', () => {
  it('shows iat and exp in UTC with +00:00 when the zone is UTC', () => {
    assert.deepEqual(timeLines(renderSetupReport(report(() => 0))), [
      '  iat  2026-01-01 00:30:00 +00:00',
      '  exp  2026-01-01 01:30:00 +00:00 (lifetime 1h)',
    ]);
  });

  it('moves the wall clock east by a half-hour offset', () => {
    assert.deepEqual(timeLines(renderSetupReport(report(() => 5 * 60 + 30))), [
      '  iat  2026-01-01 06:00:00 +05:30',
      '  exp  2026-01-01 07:00:00 +05:30 (lifetime 1h)',
    ]);
  });

  it('goes back to the day before west of UTC, with a negative offset of hours and minutes', () => {
    assert.deepEqual(timeLines(renderSetupReport(report(() => -(3 * 60 + 30)))), [
      '  iat  2025-12-31 21:00:00 -03:30',
      '  exp  2025-12-31 22:00:00 -03:30 (lifetime 1h)',
    ]);
  });

  it('asks the offset at each instant, so a change of offset between iat and exp shows', () => {
    const switchAt = (NEW_YEAR_UTC + LIFETIME_SECONDS / 2) * 1000;
    const lines = timeLines(renderSetupReport(report((epochMs) => (epochMs < switchAt ? 60 : 120))));
    assert.deepEqual(lines, ['  iat  2026-01-01 01:30:00 +01:00', '  exp  2026-01-01 03:30:00 +02:00 (lifetime 1h)']);
  });
});
