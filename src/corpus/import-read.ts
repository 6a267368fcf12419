/**
 * Reads a user's file into rows (a ParsedTable) as a stream: a File or a fetched URL gives bytes,
 * decoded chunk by chunk (strict UTF-8, or UTF-16 with its byte-order mark) and handed to the reader
 * of the file's format (import-formats.ts), within the size and row limits.
 */
import { IMPORT_LIMITS, ImportError, type ImportFormat, type ImportLimits, type ParsedTable } from './import';
import { csvReader, detectFormat, jsonlReader, jsonReader, type TableReader } from './import-formats';
import { binaryFormat, notColumnarAfterAll, readArrow, readParquet, type BinaryFormat } from './import-binary';
import type { ByteRanges } from './import-source';

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${Math.ceil(bytes / MB).toLocaleString('en')} MB`;
/** Enough text to tell JSON from JSONL by a complete first line, and for PapaParse to guess the delimiter. */
const HEAD_CHARS = 1024 * 1024;

/**
 * Index of the first byte that is not valid UTF-8, or -1. A character cut by the end of the buffer is
 * invalid only at the end of the file (`final`); before that, the next chunk completes it. Only used to
 * say where a decode failed.
 */
export function firstInvalidUtf8(bytes: Uint8Array, final = false): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return final ? i : -1;
      // As TextDecoder: the second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
      const [low, high] = k > 1 ? [0x80, 0xbf] : b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (bytes[i + k]! < low || bytes[i + k]! > high) return i;
    }
    i += need + 1;
  }
  return -1;
}

const concatBytes = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Windows-1252's characters for bytes 0x80–0x9F (where it differs from Latin-1; blanks are unassigned), to show what a byte probably meant. */
const WINDOWS_1252 = '€ ‚ƒ„…†‡ˆ‰Š‹Œ Ž  ‘’“”•–—˜™š›œ žŸ';

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/**
 * Decodes a byte stream chunk by chunk. UTF-8 is strict (a wrong byte is an error naming its line,
 * not a silent U+FFFD); a UTF-8 byte-order mark is dropped; UTF-16 is read when its mark says so.
 */
export class ByteDecoder {
  private decoder: TextDecoder | null = null;
  private encoding = 'utf-8';
  private lines = 0;
  private bytes = 0;
  /** The first bytes, held until there are two: a byte-order mark may come split over chunks. */
  private head: Uint8Array = new Uint8Array(0);
  /** The last three bytes decoded: a character the decoder holds to complete starts in them. */
  private tail: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array, last = false): string {
    if (this.decoder === null) {
      chunk = concatBytes(this.head, chunk);
      if (chunk.length < 2 && !last) {
        this.head = chunk;
        return '';
      }
      if (chunk[0] === 0xff && chunk[1] === 0xfe) this.encoding = 'utf-16le';
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) this.encoding = 'utf-16be';
      // The decoders drop their own byte-order mark.
      this.decoder = new TextDecoder(this.encoding, { fatal: true });
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: !last });
    } catch {
      throw this.encodingError(chunk, last);
    }
    if (this.bytes === 0 && this.encoding === 'utf-8' && text.includes('\u0000')) {
      throw new ImportError('The file contains NUL bytes, so it is not UTF-8 text: it may be UTF-16 without a byte-order mark or a binary file; save it as UTF-8 CSV or JSON.');
    }
    this.bytes += chunk.length;
    this.tail = (chunk.length >= 3 ? chunk : concatBytes(this.tail, chunk)).slice(-3);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines++;
    return text;
  }

  private encodingError(chunk: Uint8Array, last: boolean): ImportError {
    if (this.encoding !== 'utf-8') return new ImportError(`The file is marked as ${this.encoding.toUpperCase()} but holds bytes that are not valid ${this.encoding.toUpperCase()}; save it as UTF-8 and try again.`);
    // The bad byte may be one the decoder held from earlier chunks; those may begin inside a character decoded before.
    const bytes = concatBytes(this.tail, chunk);
    let start = 0;
    while (start < this.tail.length && (bytes[start]! & 0xc0) === 0x80) start++;
    const found = firstInvalidUtf8(bytes.subarray(start), last);
    const offset = found < 0 ? start : start + found;
    const line = this.lines - countNewlines(this.tail, this.tail.length) + countNewlines(bytes, offset) + 1;
    if (last && firstInvalidUtf8(bytes.subarray(start)) < 0) {
      return new ImportError(`The file ends in the middle of a character on line ${line}: it was probably cut short; download or save it again.`);
    }
    const byte = bytes[offset] ?? 0;
    const char = byte >= 0xa0 ? String.fromCharCode(byte) : byte >= 0x80 ? WINDOWS_1252[byte - 0x80]!.trim() : '';
    const latin1 = char ? `, which is "${char}" in Latin-1 / Windows-1252` : '';
    return new ImportError(
      `The file is not UTF-8 text: line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}${latin1}; save the file as UTF-8 (in Excel: "CSV UTF-8") and try again.`,
    );
  }
}

/**
 * A web page rather than data: its text starts with a doctype or an <html> tag. A static host answers
 * a missing file with its own page, which read as CSV would only give puzzling quote errors.
 */
export function looksLikeHtml(text: string): boolean {
  return /^\ufeff?\s*<(!doctype\s+html|html[\s>])/i.test(text);
}

export interface ReadOptions {
  /** The file's name: it picks the format (with the content) and becomes the papers' source. */
  name: string;
  /** Size in bytes when known (a File's size, an HTTP Content-Length). */
  total?: number | null;
  limits?: Partial<ImportLimits>;
  onProgress?: (bytes: number, total: number | null) => void;
  /** The same bytes by range (a dropped file, a host serving ranges): a Parquet file is then read a row group at a time, never whole. */
  ranges?: ByteRanges | null;
}

/** A Parquet file read by ranges, its progress said in bytes read (the footer, then each row group's columns). */
function parquetByRanges(ranges: ByteRanges, name: string, limits: ImportLimits, onProgress?: (bytes: number, total: number | null) => void): Promise<ParsedTable> {
  let read = 0;
  const file = {
    byteLength: ranges.size,
    slice: async (start: number, end = ranges.size) => {
      const bytes = await ranges.read(start, end);
      read += bytes.byteLength;
      return bytes;
    },
  };
  return readParquet(file, name, limits, () => onProgress?.(Math.min(read, ranges.size), ranges.size));
}

/**
 * A columnar file's bytes, gathered into one buffer as they arrive (its index is at the end, so it is
 * read once all are in). Sized by the file's length when known, so the bytes are never held twice.
 */
class ByteCollector {
  private buffer: Uint8Array;
  private length = 0;

  constructor(expected: number | null) {
    this.buffer = new Uint8Array(expected ?? MB);
  }

  push(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + chunk.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  bytes(): ArrayBuffer {
    return (this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length)).buffer as ArrayBuffer;
  }
}

/**
 * Reads a stream of bytes into rows, chunk by chunk, within the size and row limits. Text formats are
 * parsed as they arrive; Parquet and Arrow (told by their first bytes) are collected, then read.
 */
export async function readTable(chunks: AsyncIterable<Uint8Array>, options: ReadOptions): Promise<ParsedTable> {
  const limits = { ...IMPORT_LIMITS, ...options.limits };
  const total = options.total ?? null;
  const tooLarge = (json: boolean) =>
    new ImportError(
      json
        ? `The file is larger than ${megabytes(limits.maxJsonBytes)}, the most Papermap reads as one JSON document: save it as JSONL or CSV, which are read as a stream, or keep a sample.`
        : `The file is larger than ${megabytes(limits.maxBytes)}, the most Papermap reads: split it, or keep a sample of the papers.`,
    );
  if (total === 0) throw new ImportError('The file is empty (0 bytes).');
  if (total !== null && total > limits.maxBytes) throw tooLarge(false);
  const decoder = new ByteDecoder();
  let format: ImportFormat | null = null;
  let reader: TableReader | null = null;
  let head = '';
  let bytes = 0;
  let reported = 0;
  /** Decided by the first chunk: a columnar format, or null for text. */
  let binary: BinaryFormat | null | undefined;
  let collected: ByteCollector | null = null;
  // The format is decided once the first megabyte (or the whole file, if smaller) is decoded.
  const begin = (text: string): TableReader => {
    if (looksLikeHtml(text)) throw new ImportError('The file is a web page (HTML), not a corpus file: Papermap reads CSV, TSV, JSON, JSONL, Parquet and Arrow files.');
    format = detectFormat(options.name, text);
    if (format === 'json' && Math.max(total ?? 0, bytes) > limits.maxJsonBytes) throw tooLarge(true);
    const make = format === 'csv' ? csvReader : format === 'jsonl' ? jsonlReader : jsonReader;
    const created = make(options.name, limits);
    created.push(text);
    return created;
  };
  for await (const chunk of chunks) {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) throw tooLarge(false);
    if (format === 'json' && bytes > limits.maxJsonBytes) throw tooLarge(true);
    if (binary === undefined) {
      binary = binaryFormat(chunk);
      if (binary === null) {
        const misnamed = notColumnarAfterAll(options.name);
        if (misnamed) throw misnamed;
      }
      // Leaving the loop stops the stream (see chunksOf).
      if (binary === 'parquet' && options.ranges) return parquetByRanges(options.ranges, options.name, limits, options.onProgress);
    }
    if (binary) (collected ??= new ByteCollector(total)).push(chunk);
    else {
      const text = decoder.push(chunk);
      if (reader) reader.push(text);
      else {
        head += text;
        if (head.length >= HEAD_CHARS) {
          reader = begin(head);
          head = '';
        }
      }
    }
    if (options.onProgress && (bytes - reported >= MB || bytes === total)) {
      reported = bytes;
      options.onProgress(bytes, total);
    }
  }
  if (binary) {
    const file = collected!.bytes();
    return binary === 'parquet' ? readParquet(file, options.name, limits) : readArrow(file, options.name, limits);
  }
  const tail = decoder.push(new Uint8Array(0), true);
  if (reader) reader.push(tail);
  else {
    head += tail;
    if (head.replace(/^\ufeff/, '').trim() === '') throw new ImportError(bytes === 0 ? 'The file is empty (0 bytes).' : 'The file is empty: it holds only blank space.');
    reader = begin(head);
  }
  return reader.finish();
}

/** Reads a whole text (tests, pasted text) through the same readers. */
export function readText(text: string, options: ReadOptions): Promise<ParsedTable> {
  const bytes = new TextEncoder().encode(text);
  return readTable(
    (async function* () {
      yield bytes;
    })(),
    { ...options, total: bytes.length },
  );
}
