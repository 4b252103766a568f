/** Reading source files from disk for analysis (the CLI and the server's workspace mode). */
import * as fs from 'node:fs';
import { formatSize, unanalysableReason } from './engine';

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Reads a file for analysis: the text without its BOM, or why it is skipped. */
export function readSource(file: string, maxFileSize: number): { text: string; bom: boolean } | { skipped: string } {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    // Checked before reading, so a huge file is never loaded.
    if (size > maxFileSize) return { skipped: `file over ${formatSize(maxFileSize)} (${formatSize(size)})` };
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { skipped: `cannot read: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? (e as Error).message}` };
  }
  return decodeSource(bytes, maxFileSize);
}

/** Source bytes (a file's, or standard input's) as text without its BOM, or why they are skipped. */
export function decodeSource(bytes: Buffer, maxFileSize: number): { text: string; bom: boolean } | { skipped: string } {
  if (bytes.length > maxFileSize) return { skipped: `file over ${formatSize(maxFileSize)} (${formatSize(bytes.length)})` };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { skipped: 'UTF-16 encoded (only UTF-8 is supported)' };
  }
  if (bytes.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  const reason = unanalysableReason(text, maxFileSize);
  return reason ? { skipped: reason } : { text, bom };
}

