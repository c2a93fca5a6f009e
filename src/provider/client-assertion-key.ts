/**
 * The private key of `--oidc-client-assertion-key`: read, checked (a private
 * RSA or EC key, an algorithm that fits it) and turned into the WebCrypto key
 * openid-client signs client assertions with.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { importPKCS8 } from 'jose';
import type { CryptoKey } from 'openid-client';
import { ConfigError, UsageError } from '../core/errors.ts';
import type { ClientAssertionAlg, ClientAssertionKey } from '../core/options.ts';
import { readFlagFile } from '../io/files.ts';

/** The flag that names the key file, for messages. */
const FLAG = 'oidc-client-assertion-key';

/** The ES algorithm of each EC curve (RFC 7518 section 3.4), as Node names the curves. */
const EC_ALG_BY_CURVE: Readonly<Record<string, ClientAssertionAlg>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
/** RSA keys sign RS256 unless told otherwise: what every provider accepts for private_key_jwt. */
const DEFAULT_RSA_ALG: ClientAssertionAlg = 'RS256';

/** A loaded client assertion key. */
export interface LoadedAssertionKey {
  key: CryptoKey;
  alg: ClientAssertionAlg;
  kid: string | undefined;
}

/** Parses the PEM; a public key or anything else is a ConfigError naming the flag and the file. */
function parsePrivateKey(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    let isPublic = false;
    try {
      createPublicKey(pem);
      isPublic = true;
    } catch {
      // Neither: not a key at all.
    }
    const what = isPublic
      ? 'holds a public key, not the private key'
      : 'does not hold a PEM private key (or it is encrypted)';
    throw new ConfigError(`--${FLAG} ${path} ${what}`, {
      hint: "give the client's unencrypted private key in PEM (PKCS#8, PKCS#1 or SEC1); its public key is the one registered at the provider",
      cause: error,
    });
  }
}

/** The algorithm for `key`: `--oidc-client-assertion-alg` if it fits the key, else the key's own. */
function algorithmFor(key: KeyObject, wanted: ClientAssertionAlg | undefined, path: string): ClientAssertionAlg {
  if (key.asymmetricKeyType === 'rsa') {
    if (wanted !== undefined && !/^(RS|PS)/.test(wanted))
      throw new UsageError(`--oidc-client-assertion-alg ${wanted} does not fit the RSA key in --${FLAG} ${path}`);
    return wanted ?? DEFAULT_RSA_ALG;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const alg = EC_ALG_BY_CURVE[curve];
    if (alg === undefined)
      throw new ConfigError(`--${FLAG} ${path} holds an EC key on the curve ${curve}; P-256, P-384 or P-521 only`);
    if (wanted !== undefined && wanted !== alg)
      throw new UsageError(
        `--oidc-client-assertion-alg ${wanted} does not fit the ${curve} key in --${FLAG} ${path} (it signs ${alg})`,
      );
    return alg;
  }
  throw new ConfigError(`--${FLAG} ${path} holds an ${key.asymmetricKeyType ?? 'unknown'} key; RSA or EC keys only`);
}

/** Reads and checks the key of `--oidc-client-assertion-key`. */
export async function loadClientAssertionKey(options: ClientAssertionKey): Promise<LoadedAssertionKey> {
  const path = options.keyFile;
  const keyObject = parsePrivateKey(readFlagFile(FLAG, path), path);
  const alg = algorithmFor(keyObject, options.alg, path);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
  const key = await importPKCS8(pkcs8, alg);
  return { key, alg, kid: options.kid };
}
