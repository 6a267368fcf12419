// Thin entry: embeds search queries with the map's model, keeping the model loaded between queries.
import { knownWords } from '../src/model/vocab';
import { Embedder } from './embed';
import type { QueryMessage, QueryRequest } from './messages';

let loaded: { modelId: string; embedder: Promise<Embedder> } | null = null;

const post = (message: QueryMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

addEventListener('message', async (event: MessageEvent<QueryRequest>) => {
  const { id, text, modelId, modelsUrl, ortUrl } = event.data;
  try {
    // One query at a time on WASM: faster than a GPU round trip for a single short text.
    if (loaded?.modelId !== modelId) loaded = { modelId, embedder: Embedder.load({ modelId, modelsUrl, ortUrl, device: 'wasm' }) };
    const embedder = await loaded.embedder;
    // A query of only unknown words would still get a vector from its letter fragments: noise.
    if (knownWords(embedder.tokenize(text)).length === 0) {
      post({ type: 'query-vector', id, vector: null });
      return;
    }
    const { vectors, empty } = await embedder.embedAll([text], 1, () => undefined);
    if (empty.length > 0) post({ type: 'query-vector', id, vector: null });
    else post({ type: 'query-vector', id, vector: vectors }, [vectors.buffer as ArrayBuffer]);
  } catch (error) {
    loaded = null;
    post({ type: 'query-error', id, message: error instanceof Error ? error.message : String(error) });
  }
});
