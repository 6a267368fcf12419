/**
 * Parquet and Arrow IPC files, the columnar formats that Hugging Face datasets, pandas, polars, DuckDB
 * and Spark hand data around in, read into the same rows as CSV and JSON (then the same column guessing
 * and checks). Parquet through hyparquet (pure JS, no WASM: snappy built in; zstd, gzip, brotli and
 * LZ4 from hyparquet-compressors); Arrow IPC (file or stream, `.arrow` / `.feather` v2) through
 * Flechette (UW IDL's small, fast Arrow reader, ZSTD buffers decoded with fzstd).
 *
 * Cells come out as the text readers give them: text, numbers, null; dates as ISO text, 64-bit
 * integers as numbers; embeddings (`list<float>` and `fixed_size_list<float>` alike) as typed arrays.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CompressionType, setCompressionCodec, tableFromIPC } from '@uwdata/flechette';
import { decompress as zstdDecompress } from 'fzstd';
import { ImportError, type ImportFormat, type ImportLimits, type ParsedTable } from './import';
import { isNumberArray } from './import-cells';

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

/**
 * A cell as the text readers would give it, except lists of numbers: a typed array stays one (an
 * Arrow list is a view into the file's own buffer, so 100,000 embeddings cost no copy).
 */
function plainCell(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isNumberArray(value)) return value;
  // 64-bit integers become plain numbers; raw bytes (binary columns) are not text.
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Array.from(value, Number);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return null;
  // A list of plain values (an embedding: hundreds of numbers, in every row) is kept as it is.
  if (Array.isArray(value)) return value.every((v) => typeof v === 'number' || typeof v === 'string' || v === null) ? value : value.map(plainCell);
  return value;
}

/** Too many rows for a map, said before any of them is decoded. */
function checkRowCount(rows: number, limits: ImportLimits): void {
  if (rows > limits.maxPapers) {
    throw new ImportError(`The file has ${rows.toLocaleString('en')} rows, more than the ${limits.maxPapers.toLocaleString('en')} papers a map can hold: keep a sample.`);
  }
}

function table(name: string, format: BinaryFormat, columns: string[], rows: Record<string, unknown>[], limits: ImportLimits): ParsedTable {
  checkRowCount(rows.length, limits);
  return { name, format, columns, rows, rowUnit: 'row', rowNumbers: rows.map((_, i) => i + 1), warnings: [], papermap: false };
}

/** Why a columnar file could not be read, in one sentence a person can act on. */
function unreadable(kind: string, error: unknown): ImportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportError(`The ${kind} file could not be read (${reason}): it may be cut short or damaged; save or download it again.`);
}

/**
 * Top-level columns that are lists of 32- or 64-bit floats (embeddings), by name: hyparquet gives each
 * row's list as an array of doubles, which is kept as a typed array of the file's own precision.
 */
function floatLists(schema: SchemaTree): Map<string, 'FLOAT' | 'DOUBLE'> {
  const lists = new Map<string, 'FLOAT' | 'DOUBLE'>();
  for (const column of schema.children) {
    let leaf = column;
    while (leaf.children.length === 1) leaf = leaf.children[0]!;
    const type = leaf.element.type;
    if (leaf !== column && leaf.children.length === 0 && (type === 'FLOAT' || type === 'DOUBLE')) lists.set(column.element.name, type);
  }
  return lists;
}

/** A float list cell as a typed array; a list with nulls (or anything else) as the text readers give it. */
function floatListCell(value: unknown, type: 'FLOAT' | 'DOUBLE'): unknown {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) return plainCell(value);
  return type === 'FLOAT' ? Float32Array.from(value as number[]) : Float64Array.from(value as number[]);
}

/**
 * Reads a Parquet file one row group at a time, so that only one group's decoded pages are held at
 * once beside the rows read so far, and each embedding becomes a typed array as its group is read.
 * `file`: the bytes, or a dropped file read by byte ranges (only its footer, then each group's
 * column chunks, are ever in memory). `onGroup`: after each group, the rows read so far.
 */
export async function readParquet(file: AsyncBuffer, name: string, limits: ImportLimits, onGroup?: (rows: number, total: number) => void): Promise<ParsedTable> {
  let metadata: FileMetaData;
  let columns: string[];
  let lists: Map<string, 'FLOAT' | 'DOUBLE'>;
  try {
    metadata = await parquetMetadataAsync(file);
    const schema = parquetSchema(metadata);
    columns = schema.children.map((c) => c.element.name);
    lists = floatLists(schema);
  } catch (error) {
    throw unreadable('Parquet', error);
  }
  checkRowCount(Number(metadata.num_rows), limits);
  const rows: Record<string, unknown>[] = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    if (end === start) continue;
    let part: Record<string, unknown>[];
    try {
      part = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, compressors });
    } catch (error) {
      throw unreadable('Parquet', error);
    }
    for (const row of part) {
      for (const column of columns) {
        const type = lists.get(column);
        row[column] = type ? floatListCell(row[column], type) : plainCell(row[column]);
      }
      rows.push(row);
    }
    start = end;
    onGroup?.(start, Number(metadata.num_rows));
  }
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
    checkRowCount(arrow.numRows, limits);
    rows = arrow.toArray() as Record<string, unknown>[];
  } catch (error) {
    throw unreadable('Arrow', error);
  }
  const plain = rows.map((row) => Object.fromEntries(columns.map((c) => [c, plainCell(row[c])])));
  return table(name, 'arrow', columns, plain, limits);
}
