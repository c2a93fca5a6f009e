// Unpacks a release zip into a directory, keeping the executable's mode:
//   node scripts/release/unpack.mjs <zip> <dir>
// npm test runs the integration and end-to-end tiers against the Linux
// executable it unpacks this way, as a user who downloaded it would.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

/** The executable bit the archive gives `kubelogin` and `kubectl_complete-oidc_login`; fflate's unzip does not apply modes. */
const EXECUTABLE_MODE = 0o755;
/** The archive's files that are programs, by the start of their names. */
const PROGRAM_PREFIXES = ['kubelogin', 'kubectl_complete-'];

const [zip, dir] = process.argv.slice(2);
if (!zip || !dir) throw new Error('usage: node scripts/release/unpack.mjs <zip> <dir>');
mkdirSync(dir, { recursive: true });
for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  if (PROGRAM_PREFIXES.some((prefix) => name.startsWith(prefix))) chmodSync(file, EXECUTABLE_MODE);
}
