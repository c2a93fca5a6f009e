/**
 * A CI job's surroundings for one test file: the stand-in for GitHub's token
 * service, a temporary HOME and, for token exchange, the company's provider
 * trusting the stand-in's tokens.
 */
import type { ClientMetadata } from 'oidc-provider';
import { startTestProvider, type TestProvider } from '../provider/test-provider.ts';
import type { TokenExchangeOptions } from '../provider/token-exchange-grant.ts';
import { makeTempHome, type TempHome } from '../temp-home.ts';
import { type CiTokenService, startCiTokenService } from './ci-token-service.ts';

/** What {@link startCiWorld} started. */
export interface CiWorld {
  ci: CiTokenService;
  home: TempHome;
  /** The company's provider, when an exchange was asked for. */
  provider: TestProvider | undefined;
  /** Stops everything and removes the HOME. */
  close(): Promise<void>;
}

/** Starts the token service and a HOME, and with `exchange` a provider whose exchange grant trusts the service. */
export async function startCiWorld(
  exchange?: { clients: ClientMetadata[] } & Omit<TokenExchangeOptions, 'trustedIssuers'>,
): Promise<CiWorld> {
  const ci = await startCiTokenService();
  let provider: TestProvider | undefined;
  if (exchange !== undefined) {
    const { clients, ...rules } = exchange;
    provider = await startTestProvider({ clients, tokenExchange: { ...rules, trustedIssuers: [ci.issuer] } });
  }
  const home = await makeTempHome();
  return {
    ci,
    home,
    provider,
    async close() {
      await provider?.close();
      await ci.close();
      await home.cleanup();
    },
  };
}
