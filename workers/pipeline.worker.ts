// Thin entry: the pipeline worker runs one request, streams its events and transfers the result.
import { GpuFailure } from './embed';
import { runPipeline, StageError } from './pipeline';
import { textSideInWorker, type OpenTextSide } from './text-side';
import { layoutInWorker } from './layout-side';
import { resultTransfer, type RunMessage, type WorkerMessage } from './messages';
import { unpackTexts } from '../src/pipeline/packed-texts';

const post = (message: WorkerMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

addEventListener('message', (event: MessageEvent<RunMessage>) => {
  const { texts: packed, ...run } = event.data;
  // The packed texts move on to the text worker as they came, not packed again from these strings
  // (a run that starts no text worker, a small map or a file that gave positions, holds them to its end).
  const openText: OpenTextSide = (texts, fit, how) => textSideInWorker(texts, fit, how, packed);
  runPipeline({ ...run, texts: unpackTexts(packed) }, (message, transfer) => post(message, transfer), { openText, openLayout: layoutInWorker }).then(
    (result) => post({ type: 'result', result }, resultTransfer(result)),
    (error: unknown) =>
      error instanceof GpuFailure
        ? post({ type: 'gpu-failed', reason: error.message, partial: error.partial }, error.partial ? [error.partial.vectors.buffer as ArrayBuffer] : [])
        : post({
        type: 'error',
        stage: error instanceof StageError ? error.stage : null,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
