/**
 * Checks the code signature of a thin 64-bit Mach-O file as macOS does when
 * it maps a page: every CodeDirectory's page hashes against the file's pages.
 * Independent of scripts/release/macho-sign.mjs except for reading the load
 * commands, so a signer that hashes the wrong bytes fails here.
 */
import { createHash } from 'node:crypto';

/** The load command saying where the code signature lies. */
const LC_CODE_SIGNATURE = 0x1d;
/** Magic of the SuperBlob that holds the signature's blobs. */
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
/** Magic of a CodeDirectory. */
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
/** CodeDirectory hash types: SHA-1, SHA-256, truncated SHA-256. */
const HASH_ALGORITHMS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 3: 'sha256' };

/** What is wrong with the file's code signature: empty when every page hash matches. */
export function codeSignatureProblems(file: Buffer): string[] {
  if (file.readUInt32LE(0) !== 0xfeedfacf) return ['not a thin 64-bit little-endian Mach-O file'];
  const count = file.readUInt32LE(16);
  let offset = 32;
  let signature: { start: number; size: number } | undefined;
  for (let i = 0; i < count; i++) {
    if (file.readUInt32LE(offset) === LC_CODE_SIGNATURE)
      signature = { start: file.readUInt32LE(offset + 8), size: file.readUInt32LE(offset + 12) };
    offset += file.readUInt32LE(offset + 4);
  }
  if (!signature) return ['no LC_CODE_SIGNATURE'];
  if (signature.start + signature.size > file.length) return ['the signature runs past the end of the file'];
  const superBlob = signature.start;
  if (file.readUInt32BE(superBlob) !== CSMAGIC_EMBEDDED_SIGNATURE)
    return ['no SuperBlob where LC_CODE_SIGNATURE points'];
  const problems: string[] = [];
  let directories = 0;
  for (let i = 0; i < file.readUInt32BE(superBlob + 8); i++) {
    const blob = superBlob + file.readUInt32BE(superBlob + 16 + i * 8);
    if (file.readUInt32BE(blob) !== CSMAGIC_CODEDIRECTORY) continue;
    directories++;
    const hashOffset = file.readUInt32BE(blob + 16);
    const pages = file.readUInt32BE(blob + 28);
    const codeLimit = file.readUInt32BE(blob + 32);
    const hashSize = file[blob + 36]!;
    const algorithm = HASH_ALGORITHMS[file[blob + 37]!];
    const pageSize = 2 ** file[blob + 39]!;
    if (!algorithm) {
      problems.push(`unknown hash type ${file[blob + 37]}`);
      continue;
    }
    if (codeLimit !== signature.start)
      problems.push(`codeLimit ${codeLimit} is not the signature's offset ${signature.start}`);
    if (pages !== Math.ceil(codeLimit / pageSize))
      problems.push(`${pages} page hashes do not cover ${codeLimit} bytes`);
    let mismatches = 0;
    for (let page = 0; page < pages; page++) {
      const bytes = file.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeLimit));
      const stored = file.subarray(blob + hashOffset + page * hashSize, blob + hashOffset + (page + 1) * hashSize);
      if (!createHash(algorithm).update(bytes).digest().subarray(0, hashSize).equals(stored)) mismatches++;
    }
    if (mismatches) problems.push(`${mismatches} of ${pages} ${algorithm} page hashes do not match the file`);
  }
  if (!directories) problems.push('no CodeDirectory in the signature');
  return problems;
}
