/**
 * Ad-hoc code signing of a thin 64-bit Mach-O executable, as Apple's linker
 * signs what it links: a SuperBlob holding one SHA-256 CodeDirectory over the
 * file's 4 KiB pages, no requirements and no CMS signature. macOS on Apple
 * silicon refuses to run an executable whose page hashes do not match, and
 * Bun's cross-compiled darwin-x64 executable carries a stale signature, so
 * every darwin executable is signed again here. Notarizing needs a Developer
 * ID and Apple's tools instead (see CONTRIBUTING.md).
 */
import { createHash } from 'node:crypto';

/** A thin 64-bit little-endian Mach-O starts with MH_MAGIC_64. */
const MH_MAGIC_64 = 0xfeedfacf;
/** The file type of an executable (as opposed to a library). */
const MH_EXECUTE = 2;
/** The load command of a 64-bit segment. */
const LC_SEGMENT_64 = 0x19;
/** The load command saying where the code signature lies. */
const LC_CODE_SIGNATURE = 0x1d;
/** Magic of the SuperBlob that holds the signature's blobs. */
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
/** Magic of a CodeDirectory. */
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
/** CodeDirectory version with the exec segment fields (the linker's). */
const CODEDIRECTORY_VERSION = 0x20400;
/** Bytes of a CodeDirectory up to and including execSegFlags, at that version. */
const CODEDIRECTORY_HEADER_BYTES = 88;
/** Flags of a linker's ad-hoc signature. */
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
/** The exec segment flag of a main executable. */
const CS_EXECSEG_MAIN_BINARY = 0x1;
/** Pages hashed one by one: 4 KiB, log2 12. */
export const PAGE_BYTES = 4096;
const PAGE_SIZE_LOG2 = 12;
/** SHA-256: its CodeDirectory hash type and size. */
const CS_HASHTYPE_SHA256 = 2;
const SHA256_BYTES = 32;
/** A SuperBlob header (magic, length, count) and one index entry (type, offset). */
const SUPERBLOB_HEADER_BYTES = 12;
const SUPERBLOB_INDEX_BYTES = 8;

/**
 * The load commands a signature concerns.
 * @param {Buffer} file
 * @returns {{ signatureCommand: number | undefined, linkedit: number | undefined, text: number | undefined }} offsets of the commands
 */
export function machoCommands(file) {
  if (file.length < 32 || file.readUInt32LE(0) !== MH_MAGIC_64)
    throw new Error('not a thin 64-bit little-endian Mach-O file');
  const count = file.readUInt32LE(16);
  let offset = 32;
  let signatureCommand, linkedit, text;
  for (let i = 0; i < count; i++) {
    const command = file.readUInt32LE(offset);
    if (command === LC_CODE_SIGNATURE) signatureCommand = offset;
    if (command === LC_SEGMENT_64) {
      const name = file.toString('latin1', offset + 8, offset + 24).replace(/\0+$/, '');
      if (name === '__LINKEDIT') linkedit = offset;
      if (name === '__TEXT') text = offset;
    }
    offset += file.readUInt32LE(offset + 4);
  }
  return { signatureCommand, linkedit, text };
}

/**
 * The file ad-hoc signed: the code up to the old signature, then a new one.
 * @param {Buffer} input a thin 64-bit Mach-O executable that has an LC_CODE_SIGNATURE (Bun's have one)
 * @param {string} identifier the signature's identifier, e.g. `kubelogin`
 * @returns {Buffer}
 */
export function signAdhoc(input, identifier) {
  const { signatureCommand, linkedit, text } = machoCommands(input);
  if (signatureCommand === undefined || linkedit === undefined || text === undefined) {
    throw new Error('the Mach-O file has no LC_CODE_SIGNATURE, __LINKEDIT or __TEXT to sign');
  }
  const codeLimit = input.readUInt32LE(signatureCommand + 8); // the signature starts where the signed code ends
  if (codeLimit % 16 !== 0) throw new Error(`the code signature offset ${codeLimit} is not 16-byte aligned`);
  const pages = Math.ceil(codeLimit / PAGE_BYTES);
  const identifierBytes = Buffer.from(`${identifier}\0`, 'utf8');
  const identifierOffset = CODEDIRECTORY_HEADER_BYTES;
  const hashOffset = identifierOffset + identifierBytes.length;
  const directoryLength = hashOffset + pages * SHA256_BYTES;
  const signatureLength = SUPERBLOB_HEADER_BYTES + SUPERBLOB_INDEX_BYTES + directoryLength;

  // The load commands first: they lie in page 0, which is hashed.
  const file = Buffer.concat([input.subarray(0, codeLimit), Buffer.alloc(signatureLength)]);
  file.writeUInt32LE(signatureLength, signatureCommand + 12);
  const linkeditStart = Number(file.readBigUInt64LE(linkedit + 40));
  const linkeditSize = codeLimit + signatureLength - linkeditStart;
  file.writeBigUInt64LE(BigInt(linkeditSize), linkedit + 48); // filesize
  file.writeBigUInt64LE(BigInt(Math.ceil(linkeditSize / PAGE_BYTES) * PAGE_BYTES), linkedit + 32); // vmsize

  // The SuperBlob and its CodeDirectory, big-endian.
  const superBlob = codeLimit;
  file.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, superBlob);
  file.writeUInt32BE(signatureLength, superBlob + 4);
  file.writeUInt32BE(1, superBlob + 8);
  file.writeUInt32BE(0, superBlob + 12); // slot 0: the CodeDirectory
  file.writeUInt32BE(SUPERBLOB_HEADER_BYTES + SUPERBLOB_INDEX_BYTES, superBlob + 16);
  const directory = superBlob + SUPERBLOB_HEADER_BYTES + SUPERBLOB_INDEX_BYTES;
  const isExecutable = file.readUInt32LE(12) === MH_EXECUTE;
  const fields = [
    CSMAGIC_CODEDIRECTORY,
    directoryLength,
    CODEDIRECTORY_VERSION,
    CS_ADHOC | CS_LINKER_SIGNED,
    hashOffset,
    identifierOffset,
    0,
    pages,
    codeLimit,
  ];
  for (const [i, value] of fields.entries()) file.writeUInt32BE(value, directory + i * 4);
  file[directory + 36] = SHA256_BYTES;
  file[directory + 37] = CS_HASHTYPE_SHA256;
  file[directory + 38] = 0; // platform
  file[directory + 39] = PAGE_SIZE_LOG2;
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0.
  file.writeBigUInt64BE(file.readBigUInt64LE(text + 40), directory + 64); // execSegBase: __TEXT's file offset
  file.writeBigUInt64BE(file.readBigUInt64LE(text + 48), directory + 72); // execSegLimit: __TEXT's file size
  file.writeBigUInt64BE(BigInt(isExecutable ? CS_EXECSEG_MAIN_BINARY : 0), directory + 80);
  identifierBytes.copy(file, directory + identifierOffset);
  for (let page = 0; page < pages; page++) {
    const bytes = file.subarray(page * PAGE_BYTES, Math.min((page + 1) * PAGE_BYTES, codeLimit));
    createHash('sha256')
      .update(bytes)
      .digest()
      .copy(file, directory + hashOffset + page * SHA256_BYTES);
  }
  return file;
}
