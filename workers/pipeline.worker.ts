// Thin entry: the pipeline worker runs one request, streams its events and transfers the result.
import { GpuFailure } from './embed';
import { runPipeline, StageError } from './pipeline';
import { textSideInWorker } from './text-side';
import { layoutInWorker } from './layout-side';
import { resultTransfer, type RunRequest, type WorkerMessage } from './messages';

const post = (message: WorkerMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

addEventListener('message', (event: MessageEvent<RunRequest>) => {
  runPipeline(event.data, (message, transfer) => post(message, transfer), { openText: textSideInWorker, openLayout: layoutInWorker }).then(
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
