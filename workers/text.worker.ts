// Thin entry: the text side of a run (workers/text-side.ts) in a worker of its own, on the second core.
// Any error ends the worker as a crash: the pipeline worker then does the work itself.
import { PARTS_CHUNK } from './text-side';
import { corpusParts, fitCorpusSpace, type CorpusSpace } from '../src/model/corpus-fit';
import { numberTexts, termTableCopy, termTableOf, termTableTransfer, type NumberedTerms } from '../src/math/topics/term-table';
import { sampledTopicTerms } from '../src/math/topics/labels';
import type { TextMessage, TextRequest } from './messages';
import { nextTask } from './next-task';
import { unpackTexts } from '../src/pipeline/packed-texts';
import { freeNow } from '../src/free-now';

const post = (message: TextMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });
/** An uncaught error, so the pipeline worker hears of it (a rejected promise would only be logged). */
const crash = (error: unknown) =>
  queueMicrotask(() => {
    throw error;
  });

let texts: string[] = [];
let space: CorpusSpace | null = null;
let parts = new Float32Array(0);
/** Papers projected so far, from the first; where to stop (the pipeline worker projects the rest); who waits for them. */
let reached = 0;
let stopAt = Infinity;
let wanted: { id: number; upTo: number } | null = null;
/** The projection; the terms are read after it, and kept for naming. */
let projected: Promise<void> = Promise.resolve();
let numbered: Promise<NumberedTerms | null> = Promise.resolve(null);
/** What is still owed: the parts (when there is a space) and the terms; with neither, and no terms kept to name from, the worker ends itself. */
let partsOwed = false;
let termsOwed = true;

/**
 * A worker whose work is over ends itself rather than wait for the pipeline worker, which is deep in
 * the neighbour search and would not hear its answer for many seconds: its collector had not run, and
 * a 100,000-paper build carried ~300 MB of its dead texts and scratch arrays through the search.
 */
function endIfDone(): void {
  if (!partsOwed && !termsOwed) close();
}

async function project(fitted: CorpusSpace): Promise<void> {
  parts = new Float32Array(texts.length * fitted.dims);
  while (reached < Math.min(stopAt, texts.length)) {
    const to = Math.min(reached + PARTS_CHUNK, stopAt, texts.length);
    corpusParts(fitted, texts, reached, to, parts);
    reached = to;
    post({ type: 'progress', done: reached });
    // A turn of the event loop, so a request for the parts can say where to stop.
    await nextTask();
  }
  answerParts();
}

function answerParts(): void {
  if (!wanted || !space || reached < Math.min(wanted.upTo, texts.length)) return;
  const rows = parts.slice(0, wanted.upTo * space.dims);
  post({ type: 'parts', id: wanted.id, parts: rows }, [rows.buffer]);
  wanted = null;
  partsOwed = false;
  endIfDone();
}

addEventListener('message', (event: MessageEvent<TextRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'fit') {
      if (request.crash) return crash(new Error('simulated text worker crash'));
      texts = unpackTexts(request.texts);
      freeNow(request.texts.bytes);
      space = request.options && fitCorpusSpace(texts, request.options);
      partsOwed = space !== null;
      post({ type: 'space', id: request.id, space });
      if (space) projected = project(space).catch(crash);
    } else if (request.type === 'parts') {
      wanted = { id: request.id, upTo: request.upTo };
      stopAt = request.upTo;
      answerParts();
    } else if (request.type === 'terms') {
      const { keep } = request;
      numbered = projected.then(() => {
        const read = numberTexts(texts);
        // The texts are not needed again (the parts are projected); the terms are, to name topics, if kept.
        texts = [];
        const table = keep ? termTableCopy(read) : termTableOf(read);
        post({ type: 'terms', id: request.id, table }, termTableTransfer(table));
        termsOwed = keep;
        endIfDone();
        // Without a copy, the transfer took the numbers away.
        return keep ? read : null;
      });
      numbered.catch(crash);
    } else {
      numbered
        .then((read) => {
          if (!read) throw new Error('asked to name topics from terms it did not keep');
          post({ type: 'named', id: request.id, terms: sampledTopicTerms(read, request.topics) });
        })
        .catch(crash);
    }
  } catch (error) {
    crash(error);
  }
});
