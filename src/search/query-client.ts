/**
 * Embeds search queries in a worker with the map's model, started on the first semantic search
 * (a cached map opens without loading any model). Answers arrive in order; a newer query does not
 * wait for an older one to be read.
 */
import type { QueryMessage, QueryRequest } from '../../workers/messages';
import { WorkerRpc } from '../worker-rpc';

export class QueryEmbedder {
  private readonly rpc = new WorkerRpc<QueryRequest, QueryMessage>(
    () => new Worker(new URL('../../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'papermap-query' }),
    {
      answer: (message) => (message.type === 'query-vector' ? { id: message.id, value: message.vector } : { id: message.id, error: new Error(message.message) }),
      failure: (failure) =>
        new Error(failure.kind === 'unreadable' ? 'a message from the search worker could not be read' : `the search worker crashed${failure.detail ? `: ${failure.detail}` : ''}`),
    },
  );

  constructor(private readonly options: Omit<QueryRequest, 'type' | 'id' | 'text'>) {}

  /** The query's vector, or null when none of its words is known to the model. */
  embed(text: string): Promise<Float32Array | null> {
    return this.rpc.request<Float32Array | null>((id) => ({ type: 'embed-query', id, text, ...this.options }) satisfies QueryRequest);
  }

  /** Stops the worker (the map changed model or corpus); pending queries are rejected. */
  dispose(): void {
    this.rpc.close(new Error('the map changed'));
  }
}
