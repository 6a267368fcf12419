// Thin entry: the text side of a run (workers/text-side.ts) in a worker of its own, on the second core.
import { corpusWords } from './text-side';
import { termTable, termTableTransfer } from '../src/math/topics/term-table';
import type { TextMessage, TextRequest } from './messages';

let texts: string[] = [];
const post = (message: TextMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

addEventListener('message', (event: MessageEvent<TextRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'fit') {
      // An uncaught error ends the worker the way a crash would (a microtask's is reported as uncaught).
      if (request.crash) return queueMicrotask(() => {
        throw new Error('simulated text worker crash');
      });
      texts = request.texts;
      const words = corpusWords(texts, request.options);
      post({ type: 'fit', id: request.id, words }, words ? [words.parts.buffer as ArrayBuffer] : []);
    } else {
      const table = termTable(texts);
      post({ type: 'terms', id: request.id, table }, termTableTransfer(table));
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
});
