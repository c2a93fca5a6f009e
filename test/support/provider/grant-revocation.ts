/** Ending a grant on the test provider, as an administrator revoking a user's session would. */
import type Provider from 'oidc-provider';

/** Revokes the grant `grantId` with its refresh and access tokens: its refresh tokens then get invalid_grant. */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await provider.RefreshToken.revokeByGrantId(grantId);
  await provider.AccessToken.revokeByGrantId(grantId);
  await (await provider.Grant.find(grantId))?.destroy();
}
