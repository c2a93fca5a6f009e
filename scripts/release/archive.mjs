/**
 * The release zips: the executable and kubectl's completion executable of
 * the plugin (mode 0755, so they run once unzipped) and the LICENSE, with a
 * fixed timestamp so the same build gives the same zip.
 */
import { zipSync } from 'fflate';

/** "Made by" Unix in the zip's central directory: what makes unzip apply the mode bits. */
const ZIP_OS_UNIX = 3;
/** Unix mode bits live in the upper 16 bits of the external attributes. */
const UNIX_MODE_SHIFT = 16;
/** A regular file, rwxr-xr-x. */
const EXECUTABLE_MODE = 0o100755;
/** A regular file, rw-r--r--. */
const FILE_MODE = 0o100644;
/** Deflate's highest level: the archives are downloaded far more often than built. */
const COMPRESSION_LEVEL = 9;
/** Every entry's timestamp: reproducible archives (DOS time cannot go before 1980). */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

/**
 * @param {{ executableName: string, executable: Uint8Array, completerName: string, completer: Uint8Array, license: Uint8Array }} contents
 * @returns {Uint8Array} the zip
 */
export function releaseZip({ executableName, executable, completerName, completer, license }) {
  const attributes = (/** @type {number} */ mode) => ({
    os: ZIP_OS_UNIX,
    attrs: (mode << UNIX_MODE_SHIFT) >>> 0,
    mtime: FIXED_MTIME,
    level: COMPRESSION_LEVEL,
  });
  return zipSync({
    [executableName]: [executable, attributes(EXECUTABLE_MODE)],
    [completerName]: [completer, attributes(EXECUTABLE_MODE)],
    LICENSE: [license, attributes(FILE_MODE)],
  });
}
