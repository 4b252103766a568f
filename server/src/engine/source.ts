/** Reading source files from disk for analysis (the CLI and the server's workspace mode). */
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { formatSize, unanalysableReason } from './engine';

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Source text ready for analysis. `encoding` is set when the bytes were not UTF-8 but a Python
 * file's encoding declaration (PEP 263, `# -*- coding: latin-1 -*-`) named another encoding.
 */
export interface DecodedSource {
  text: string;
  bom: boolean;
  encoding?: string;
}

/** Reads a file for analysis: the text without its BOM, or why it is skipped. */
export function readSource(file: string, maxFileSize: number): DecodedSource | { skipped: string } {
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
  return decodeSource(bytes, maxFileSize, file);
}

const PYTHON_FILE = /\.pyi?$/i;

/**
 * Source bytes (a file's, or standard input's) as text without its BOM, or why they are skipped.
 * `filePath` tells the language: only Python declares an encoding in the file itself.
 */
export function decodeSource(bytes: Buffer, maxFileSize: number, filePath?: string): DecodedSource | { skipped: string } {
  if (bytes.length > maxFileSize) return { skipped: `file over ${formatSize(maxFileSize)} (${formatSize(bytes.length)})` };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { skipped: 'UTF-16 encoded (only UTF-8 is supported)' };
  }
  if (bytes.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  let text: string;
  let encoding: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    const declared = !bom && filePath !== undefined && PYTHON_FILE.test(filePath) ? declaredEncoding(bytes) : undefined;
    const decoded = declared ? decodeAs(bytes, declared) : undefined;
    if (decoded === undefined) return { skipped: declared ? `not valid ${declared}` : 'not valid UTF-8' };
    text = decoded;
    encoding = declared;
  }
  const reason = unanalysableReason(text, maxFileSize);
  if (reason) return { skipped: reason };
  return encoding ? { text, bom, encoding } : { text, bom };
}

/**
 * The encoding a Python file declares (PEP 263): a comment matching `coding[:=]name` on the
 * first line, or on the second when the first is blank or a comment. UTF-8 names count as none.
 */
export function declaredEncoding(bytes: Buffer): string | undefined {
  // The declaration itself is ASCII: the first two lines read as Latin-1 keep every byte.
  const head = bytes.subarray(0, 512).toString('latin1').split(/\r\n|\r|\n/, 2);
  for (let i = 0; i < head.length; i++) {
    const m = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(head[i]);
    if (m) {
      const name = m[1].toLowerCase().replace(/_/g, '-');
      return /^utf-?8(-|$)/.test(name) ? undefined : name;
    }
    if (!/^[ \t\f]*(#.*)?$/.test(head[i])) return undefined;
  }
  return undefined;
}

/** Python's names for encodings that the WHATWG labels spell otherwise. */
const PYTHON_ENCODINGS: Record<string, string> = {
  'latin-1': 'iso-8859-1',
  latin: 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso-latin-1': 'iso-8859-1',
  'euc-jp': 'euc-jp',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  cp932: 'shift_jis',
  cp936: 'gbk',
  cp949: 'euc-kr',
  cp950: 'big5',
};

function decoderFor(encoding: string): TextDecoder | undefined {
  const label = PYTHON_ENCODINGS[encoding] ?? encoding.replace(/^cp(125\d)$/, 'windows-$1');
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
}

function decodeAs(bytes: Buffer, encoding: string): string | undefined {
  try {
    return decoderFor(encoding)?.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Source text as the bytes to write back: UTF-8 (with the BOM it had), or the declared encoding,
 * each character as the single byte that decodes to it alone (every character of Latin-1,
 * cp1252, ISO-8859-*, KOI8-R; the ASCII of Shift JIS or EUC-JP), so a fixed file keeps its
 * encoding and every byte the fix did not touch. A character that has no such byte (a Japanese
 * one in EUC-JP) means the text is not written: the reason comes back instead.
 */
export function encodeSource(text: string, source: DecodedSource): Buffer | { refused: string } {
  if (!source.encoding) {
    const body = Buffer.from(text, 'utf8');
    return source.bom ? Buffer.concat([UTF8_BOM, body]) : body;
  }
  const table = singleByteTable(source.encoding);
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const byte = table.get(text.charCodeAt(i));
    if (byte === undefined) return { refused: `the file has characters of more than one byte in ${source.encoding}` };
    out[i] = byte;
  }
  return out;
}

const singleByteTables = new Map<string, Map<number, number>>();

/** Character code → the one byte that decodes to it alone in an encoding (none for ambiguous ones). */
function singleByteTable(encoding: string): Map<number, number> {
  let table = singleByteTables.get(encoding);
  if (table) return table;
  table = new Map();
  const ambiguous = new Set<number>();
  const decoder = decoderFor(encoding);
  for (let byte = 0; decoder && byte < 256; byte++) {
    let ch: string;
    try {
      ch = decoder.decode(Uint8Array.of(byte));
    } catch {
      continue; // the lead byte of a longer sequence
    }
    if (ch.length !== 1) continue;
    const code = ch.charCodeAt(0);
    if (table.has(code)) ambiguous.add(code);
    table.set(code, byte);
  }
  for (const code of ambiguous) table.delete(code);
  singleByteTables.set(encoding, table);
  return table;
}
