/**
 * Parquet and Arrow IPC files, the columnar formats that Hugging Face datasets, pandas, polars, DuckDB
 * and Spark hand data around in, read into the same rows as CSV and JSON (then the same column guessing
 * and checks). Parquet through hyparquet (pure JS, no WASM: snappy built in; zstd, gzip, brotli and
 * LZ4 from hyparquet-compressors); Arrow IPC (file or stream, `.arrow` / `.feather` v2) through
 * Flechette (UW IDL's small, fast Arrow reader, ZSTD buffers decoded with fzstd).
 *
 * Cells come out as the text readers give them: text, numbers, lists of numbers for embeddings
 * (`list<float>` and `fixed_size_list<float>` alike), null; dates as ISO text, 64-bit integers as numbers.
 */
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CompressionType, setCompressionCodec, tableFromIPC } from '@uwdata/flechette';
import { decompress as zstdDecompress } from 'fzstd';
import { ImportError, type ImportFormat, type ImportLimits, type ParsedTable } from './import';

export type BinaryFormat = Extract<ImportFormat, 'parquet' | 'arrow'>;

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The binary format a file's first bytes announce, or null for text. */
export function binaryFormat(head: Uint8Array): BinaryFormat | null {
  if (startsWith(head, PARQUET_MAGIC)) return 'parquet';
  // An Arrow IPC file, or a stream (its first message starts with the 0xFFFFFFFF continuation marker).
  if (startsWith(head, ARROW_MAGIC) || startsWith(head, [0xff, 0xff, 0xff, 0xff])) return 'arrow';
  return null;
}

/**
 * A file named as a columnar one whose first bytes are not: said before its bytes are taken for text
 * (which would only fail as "not UTF-8").
 */
export function notColumnarAfterAll(name: string): ImportError | null {
  const kind = /\.(parquet|pq)$/i.test(name) ? ['Parquet', 'PAR1'] : /\.(arrow|feather|ipc)$/i.test(name) ? ['Arrow IPC', 'ARROW1'] : null;
  return kind && new ImportError(`"${name}" does not start like a ${kind[0]} file (its first bytes are not ${kind[1]}): it is damaged, or not a ${kind[0]} file.`);
}

/** A cell as the text readers would give it. */
function plainCell(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // Numeric lists (embeddings) as plain numbers; raw bytes (binary columns) are not text.
    return value instanceof Uint8Array ? null : Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v));
  }
  if (Array.isArray(value)) return value.map(plainCell);
  return value;
}

function table(name: string, format: BinaryFormat, columns: string[], rows: Record<string, unknown>[], limits: ImportLimits): ParsedTable {
  if (rows.length > limits.maxPapers) {
    throw new ImportError(`The file has ${rows.length.toLocaleString('en')} rows, more than the ${limits.maxPapers.toLocaleString('en')} papers a map can hold: keep a sample.`);
  }
  return { name, format, columns, rows, rowUnit: 'row', rowNumbers: rows.map((_, i) => i + 1), warnings: [], papermap: false };
}

/** Why a columnar file could not be read, in one sentence a person can act on. */
function unreadable(kind: string, error: unknown): ImportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportError(`The ${kind} file could not be read (${reason}): it may be cut short or damaged; save or download it again.`);
}

export async function readParquet(bytes: ArrayBuffer, name: string, limits: ImportLimits): Promise<ParsedTable> {
  let columns: string[];
  try {
    const metadata = parquetMetadata(bytes);
    columns = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (error) {
    throw unreadable('Parquet', error);
  }
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: bytes, compressors });
  } catch (error) {
    throw unreadable('Parquet', error);
  }
  for (const row of rows) for (const column of columns) row[column] = plainCell(row[column]);
  return table(name, 'parquet', columns, rows, limits);
}

let zstdRegistered = false;

export function readArrow(bytes: ArrayBuffer, name: string, limits: ImportLimits): ParsedTable {
  if (!zstdRegistered) {
    setCompressionCodec(CompressionType.ZSTD, { encode: () => { throw new Error('not used'); }, decode: (data: Uint8Array) => zstdDecompress(data).slice() });
    zstdRegistered = true;
  }
  let columns: string[];
  let rows: Record<string, unknown>[];
  try {
    const arrow = tableFromIPC(new Uint8Array(bytes), { useDate: true });
    columns = arrow.schema.fields.map((f) => f.name);
    rows = arrow.toArray() as Record<string, unknown>[];
  } catch (error) {
    throw unreadable('Arrow', error);
  }
  const plain = rows.map((row) => Object.fromEntries(columns.map((c) => [c, plainCell(row[c])])));
  return table(name, 'arrow', columns, plain, limits);
}
