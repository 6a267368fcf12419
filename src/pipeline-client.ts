/**
 * The page's handle on one pipeline run in a worker: events stream to a callback, the result
 * arrives as a promise, and cancel() stops the worker at once. A crashed worker rejects with a
 * message instead of leaving the page waiting. When WebGPU fails, the worker hands back what it
 * embedded and a fresh worker (a clean ONNX runtime) carries on from there on WASM.
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
  let settle!: { resolve: (r: PipelineResult) => void; reject: (e: PipelineError) => void };
  const result = new Promise<PipelineResult>((resolve, reject) => (settle = { resolve, reject }));
  let worker: Worker | null = null;
  let stage: Stage | null = null;

  const spawn = (run: RunRequest) => {
    const current = new Worker(new URL('../workers/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'papermap-pipeline' });
    worker = current;
    const stop = () => current.terminate();
    current.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === 'progress') stage = message.stage;
      if (message.type === 'result') {
        stop();
        settle.resolve(message.result);
      } else if (message.type === 'error') {
        stop();
        settle.reject(new PipelineError(message.message, message.stage, 'failed'));
      } else if (message.type === 'gpu-failed') {
        stop();
        onEvent({ type: 'fallback', reason: message.reason });
        spawn({ ...run, device: 'wasm', resume: { reason: message.reason, partial: message.partial } });
      } else {
        onEvent(message);
      }
    });
    current.addEventListener('error', (event) => {
      event.preventDefault();
      stop();
      const detail = event.message ? `: ${event.message}` : ' (no details: the worker script may have failed to load)';
      settle.reject(new PipelineError(`the pipeline worker crashed${stage ? ` during ${stage}` : ''}${detail}`, stage, 'crashed'));
    });
    current.addEventListener('messageerror', () => {
      stop();
      settle.reject(new PipelineError('a message from the pipeline worker could not be read', stage, 'crashed'));
    });
    const transfer = run.resume?.partial ? [run.resume.partial.vectors.buffer as ArrayBuffer] : [];
    current.postMessage(run, transfer);
  };

  spawn(request);
  return {
    result,
    cancel() {
      worker?.terminate();
      settle.reject(new PipelineError('cancelled', stage, 'cancelled'));
    },
  };
}
