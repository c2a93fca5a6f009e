/**
 * The benchmark's empty executable that writes through `process.stdout`, as most programs do:
 * beside the one that writes to file descriptor 1, it shows what opening the stream costs.
 */
import { FIXED_CREDENTIAL } from './fixed-credential.ts';

process.stdout.write(FIXED_CREDENTIAL);
