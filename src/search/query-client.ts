/**
 * Embeds search queries in a worker with the map's model, started on the first semantic search
 * (a cached map opens without loading any model). Answers arrive in order; a newer query does not
 * wait for an older one to be read.
 */
import type { QueryMessage, QueryRequest } from '../../workers/messages';

export class QueryEmbedder {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: Float32Array | null) => void; reject: (e: Error) => void }>();

  constructor(private readonly options: Omit<QueryRequest, 'type' | 'id' | 'text'>) {}

  private start(): Worker {
    const worker = new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'papermap-query' });
    worker.addEventListener('message', (event: MessageEvent<QueryMessage>) => {
      const message = event.data;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.type === 'query-vector') waiting.resolve(message.vector);
      else waiting.reject(new Error(message.message));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the search worker crashed${event.message ? `: ${event.message}` : ''}`));
      this.pending.clear();
      worker.terminate();
      this.worker = null;
    });
    return worker;
  }

  /** The query's vector, or null when none of its words is known to the model. */
  embed(text: string): Promise<Float32Array | null> {
    this.worker ??= this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ type: 'embed-query', id, text, ...this.options } satisfies QueryRequest);
    });
  }

  /** Stops the worker (the map changed model or corpus); pending queries are rejected. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const waiting of this.pending.values()) waiting.reject(new Error('the map changed'));
    this.pending.clear();
  }
}
