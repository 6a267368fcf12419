/**
 * One import read alone, in its own process (scripts/bench-import.ts): the import worker's code
 * (openSource, readTable, then buildImport with the guessed columns) on one file opened as a Blob,
 * as a dropped file is: streamed, or by byte ranges for Parquet. Prints one JSON line: papers, ms,
 * the process's peak RSS.
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { buildImport, guessColumns } from '../../src/corpus/import';
import { readTable } from '../../src/corpus/import-read';
import { openSource } from '../../src/corpus/import-source';

const file = process.argv[2]!;
const start = performance.now();
const source = await openSource(await openAsBlob(file), basename(file));
const table = await readTable(source.chunks, { name: source.name, total: source.total, ranges: source.ranges ?? null });
const result = await buildImport(table, guessColumns(table.columns));
console.log(JSON.stringify({ papers: result.corpus.papers.length, dims: result.vectors?.dims ?? 0, ms: Math.round(performance.now() - start), peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
