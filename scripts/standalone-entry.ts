/**
 * The entry of the standalone executables (`npm run release`): runs the CLI.
 * src/main.ts only exports `run` (bin/kubelogin.cjs calls it for the npm
 * build), so compiling it directly would make an executable that does nothing.
 */
import { run } from '../src/main.ts';

void run();
