/**
 * The page's handle on one pipeline run in a worker: events stream to a callback, the result
 * arrives as a promise, and cancel() stops the worker at once. A crashed worker rejects with a
 * message instead of leaving the page waiting.
 */
import type { PipelineResult, RunRequest, Stage, WorkerMessage } from '../workers/messages';

export class PipelineError extends Error {
  constructor(
    message: string,
    readonly stage: Stage | null,
    readonly kind: 'failed' | 'crashed' | 'cancelled',
  ) {
    super(message);
  }
}

export interface PipelineRun {
  result: Promise<PipelineResult>;
  cancel(): void;
}

export function startPipeline(request: RunRequest, onEvent: (message: WorkerMessage) => void): PipelineRun {
  const worker = new Worker(new URL('../workers/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'papermap-pipeline' });
  let settle: { resolve: (r: PipelineResult) => void; reject: (e: PipelineError) => void };
  const result = new Promise<PipelineResult>((resolve, reject) => (settle = { resolve, reject }));
  let stage: Stage | null = null;
  const finish = () => worker.terminate();

  worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'progress') stage = message.stage;
    if (message.type === 'result') {
      finish();
      settle.resolve(message.result);
    } else if (message.type === 'error') {
      finish();
      settle.reject(new PipelineError(message.message, message.stage, 'failed'));
    } else {
      onEvent(message);
    }
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    finish();
    const detail = event.message ? `: ${event.message}` : ' (no details: the worker script may have failed to load)';
    settle.reject(new PipelineError(`the pipeline worker crashed${stage ? ` during ${stage}` : ''}${detail}`, stage, 'crashed'));
  });
  worker.addEventListener('messageerror', () => {
    finish();
    settle.reject(new PipelineError('a message from the pipeline worker could not be read', stage, 'crashed'));
  });
  worker.postMessage(request);
  return {
    result,
    cancel() {
      finish();
      settle.reject(new PipelineError('cancelled', stage, 'cancelled'));
    },
  };
}
