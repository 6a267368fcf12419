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
import type { ImportMessage, ImportRequest } from '../../workers/messages';
import { WorkerRpc } from '../worker-rpc';
import { ImportError, type ColumnMap, type ImportColumns, type ImportResult } from './import';

export interface ImportOptions {
  /** The name to give the file (and its papers' source); defaults to the File's or the URL's. */
  name?: string;
  onProgress?: (bytes: number, total: number | null) => void;
}

export class CorpusImport {
  readonly columns: Promise<ImportColumns>;
  private readonly rpc: WorkerRpc<ImportRequest, ImportMessage>;
  private queue: Promise<unknown>;
  /** Set once the worker is stopped (closed, or it failed): later requests are refused. */
  private closed = false;

  /** `source`: a File or Blob, or a URL (relative ones are resolved against the page). */
  constructor(source: Blob | string, options: ImportOptions = {}) {
    this.rpc = new WorkerRpc<ImportRequest, ImportMessage>(
      () => new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'papermap-import' }),
      {
        // One request at a time: each answer is the waiting request's.
        answer: (message) => {
          if (message.type === 'progress') return null;
          if (message.type === 'error') return { error: new ImportError(message.message) };
          if (message.type === 'done') return { value: message.result };
          const { type: _, ...columns } = message;
          return { value: columns };
        },
        onEvent: (message) => {
          if (message.type === 'progress') options.onProgress?.(message.bytes, message.total);
        },
        failure: (failure) => {
          this.closed = true;
          return new ImportError(failure.kind === 'unreadable' ? 'A message from the import worker could not be read.' : `The import worker crashed${failure.detail ? `: ${failure.detail}` : ' (its script may have failed to load)'}.`);
        },
      },
    );
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
    if (this.closed) return;
    this.closed = true;
    this.rpc.close(new ImportError('The import was cancelled.'));
  }

  private request<T>(message: ImportRequest): Promise<T> {
    if (this.closed) return Promise.reject(new ImportError('The import was closed.'));
    return this.rpc.request<T>(message);
  }
}
