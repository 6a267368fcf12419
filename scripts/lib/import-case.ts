/**
 * One import read alone, in its own process (scripts/bench-import.ts): the import worker's code
 * (readTable, then buildImport with the guessed columns) on one file, streamed from disk in 1 MB
 * chunks as a browser's File stream gives them. Prints one JSON line: papers, ms, the process's peak RSS.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { buildImport, guessColumns } from '../../src/corpus/import';
import { readTable } from '../../src/corpus/import-read';

const file = process.argv[2]!;
const start = performance.now();
const table = await readTable(createReadStream(file, { highWaterMark: 1 << 20 }), { name: basename(file), total: statSync(file).size });
const result = await buildImport(table, guessColumns(table.columns));
console.log(JSON.stringify({ papers: result.corpus.papers.length, dims: result.vectors?.dims ?? 0, ms: Math.round(performance.now() - start), peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
