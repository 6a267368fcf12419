// Thin entry: reads a user's corpus file as a stream, reports its columns, and builds the corpus with
// whichever column map the page sends (as often as the user changes it). The rows stay here between.
import { buildImport, guessColumns, ImportError, sampleRows, type ParsedTable } from '../src/corpus/import';
import { readTable } from '../src/corpus/import-read';
import { openSource } from '../src/corpus/import-source';
import { importResultTransfer, type ImportMessage, type ImportRequest } from './messages';

let table: ParsedTable | null = null;

const post = (message: ImportMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

async function handle(request: ImportRequest): Promise<void> {
  if (request.type === 'open') {
    table = null;
    const source = await openSource(request.source, request.name);
    const read = await readTable(source.chunks, { name: source.name, total: source.total, ranges: source.ranges ?? null, onProgress: (bytes, total) => post({ type: 'progress', bytes, total }) });
    table = read;
    const { name, format, columns, rows, warnings, papermap } = read;
    post({ type: 'columns', name, format, columns, guess: guessColumns(columns), rows: rows.length, sample: sampleRows(read), warnings, papermap });
    return;
  }
  if (!table) throw new ImportError('No file has been read yet: open one before building its map.');
  const result = await buildImport(table, request.map);
  post({ type: 'done', result }, importResultTransfer(result));
}

addEventListener('message', (event: MessageEvent<ImportRequest>) => {
  handle(event.data).catch((error: unknown) => {
    // Anything else is a fault of ours (or memory running out): still one sentence, never a hang.
    const message = error instanceof ImportError ? error.message : `The file could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    post({ type: 'error', message });
  });
});
