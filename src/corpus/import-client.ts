/**
 * The page's handle on importing one file in a worker: `columns` resolves once the file is read (with
 * a guessed column map and a sample for the user to confirm), `build(map)` makes the corpus (again
 * with another map if the user changes it), `close()` stops the worker. Every failure rejects with an
 * ImportError whose message can be shown as it is.
 *
 *   const file = new CorpusImport(droppedFile, { onProgress: (bytes, total) => … });
 *   const { guess } = await file.columns;
 *   const { corpus, vectors, coords, warnings } = await file.build(guess);
 *   file.close();
 */
import type { ImportColumns, ImportMessage, ImportRequest } from '../../workers/messages';
import { ImportError, type ColumnMap, type ImportResult } from './import';

export interface ImportOptions {
  /** The name to give the file (and its papers' source); defaults to the File's or the URL's. */
  name?: string;
  onProgress?: (bytes: number, total: number | null) => void;
}

export class CorpusImport {
  readonly columns: Promise<ImportColumns>;
  private worker: Worker;
  private waiting: { resolve: (value: never) => void; reject: (error: ImportError) => void } | null = null;
  private queue: Promise<unknown>;
  private closed = false;

  /** `source`: a File or Blob, or a URL (relative ones are resolved against the page). */
  constructor(source: Blob | string, options: ImportOptions = {}) {
    this.worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'papermap-import' });
    this.worker.addEventListener('message', (event: MessageEvent<ImportMessage>) => this.receive(event.data, options));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.stop(`The import worker crashed${event.message ? `: ${event.message}` : ' (its script may have failed to load)'}.`);
    });
    this.worker.addEventListener('messageerror', () => this.stop('A message from the import worker could not be read.'));
    // The worker's own base URL is its script's, not the page's.
    const resolved = typeof source === 'string' ? new URL(source, location.href).href : source;
    this.columns = this.request<ImportColumns>({ type: 'open', source: resolved, name: options.name ?? null });
    this.queue = this.columns.catch(() => undefined);
  }

  /** Builds the corpus with a column map; calls made while one runs wait their turn. */
  build(map: ColumnMap): Promise<ImportResult> {
    const next = this.queue.then(async () => {
      await this.columns;
      return this.request<ImportResult>({ type: 'build', map });
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops the worker (and with it any read or build under way) and frees the rows it held. */
  close(): void {
    this.stop('The import was cancelled.');
  }

  private request<T>(message: ImportRequest): Promise<T> {
    if (this.closed) return Promise.reject(new ImportError('The import was closed.'));
    return new Promise<T>((resolve, reject) => {
      this.waiting = { resolve: resolve as (value: never) => void, reject };
      this.worker.postMessage(message);
    });
  }

  private receive(message: ImportMessage, options: ImportOptions): void {
    if (message.type === 'progress') return options.onProgress?.(message.bytes, message.total);
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    if (message.type === 'error') waiting.reject(new ImportError(message.message));
    else if (message.type === 'columns') {
      const { type: _, ...columns } = message;
      (waiting.resolve as (value: ImportColumns) => void)(columns);
    } else (waiting.resolve as (value: ImportResult) => void)(message.result);
  }

  private stop(message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(new ImportError(message));
  }
}
