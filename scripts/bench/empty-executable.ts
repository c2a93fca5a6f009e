/**
 * The benchmark's empty executable, compiled with the release's settings: it writes a fixed
 * ExecCredential to file descriptor 1 and ends, the least any executable of this runtime can do
 * to answer kubectl.
 */
import { writeSync } from 'node:fs';
import { FIXED_CREDENTIAL } from './fixed-credential.ts';

writeSync(1, FIXED_CREDENTIAL);
