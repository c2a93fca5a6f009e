/** Which grants need a person: whoami without --login refuses only those, and obtains the others' tokens as get-token does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConcreteGrant, needsPerson } from '../../../src/flows/login.ts';

describe('needsPerson', () => {
  it('is true for the browser, the code, the device and the password', () => {
    const grants: ConcreteGrant[] = [
      { type: 'authcode', exchangeAudience: undefined },
      { type: 'authcode-keyboard', exchangeAudience: undefined },
      { type: 'device-code', exchangeAudience: undefined },
      { type: 'password', username: 'alice', password: undefined, exchangeAudience: undefined },
    ];
    for (const grant of grants) assert.equal(needsPerson(grant), true, grant.type);
  });

  it('is false for the grants of CI jobs and workloads', () => {
    const grants: ConcreteGrant[] = [
      { type: 'client-credentials', exchangeAudience: undefined },
      { type: 'github-actions' },
      {
        type: 'token-exchange',
        subjectToken: { source: { kind: 'github-actions' }, type: 'urn:ietf:params:oauth:token-type:jwt' },
      },
      { type: 'token-file', tokenFile: '/var/run/secrets/token' },
    ];
    for (const grant of grants) assert.equal(needsPerson(grant), false, grant.type);
  });
});
