/**
 * The page's handle on one pipeline run in a worker: events stream to a callback, the result
 * arrives as a promise, and cancel() stops the worker at once. A crashed worker rejects with a
 * message instead of leaving the page waiting. When WebGPU fails, the worker hands back what it
 * embedded (the callback sees its `gpu-failed` message) and a fresh worker (a clean ONNX runtime)
 * carries on from there on WASM.
 */
import type { RunMessage, RunRequest, WorkerMessage } from '../../workers/messages';
import { WorkerRpc } from '../worker-rpc';
import { packedTransfer, packTexts, type TextSource } from './packed-texts';
import type { PipelineResult, Stage } from './types';

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

/** What the callback sees: every message of the run but its end (the result, or an error). */
export type PipelineEvent = Exclude<WorkerMessage, { type: 'result' | 'error' }>;

/** The messages that end one worker's part of a run. */
type Outcome = Extract<WorkerMessage, { type: 'result' | 'gpu-failed' }>;

/** A run's request without its texts, which `startPipeline` makes for each worker and does not keep. */
export type RunPlan = Omit<RunRequest, 'texts'>;

/**
 * Starts a run of `plan` over the papers' texts. They are packed for each worker that needs them (its
 * start, and a resume on WASM after WebGPU failed) and moved to it, each text made only while it is
 * encoded: the page holds no copy of them through the run (at 100,000 papers, ~110 MB beside the corpus
 * it keeps anyway).
 */
export function startPipeline(plan: RunPlan, texts: TextSource, onEvent: (message: PipelineEvent) => void): PipelineRun {
  let stage: Stage | null = null;
  let cancelled: PipelineError | null = null;
  const rpc = new WorkerRpc<RunMessage, WorkerMessage>(
    () => new Worker(new URL('../../workers/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'papermap-pipeline' }),
    {
      answer: (message) =>
        message.type === 'result' || message.type === 'gpu-failed' ? { value: message }
        : message.type === 'error' ? { error: new PipelineError(message.message, message.stage, 'failed') }
        : null,
      onEvent: (message) => {
        if (message.type === 'progress') stage = message.stage;
        onEvent(message as PipelineEvent);
      },
      failure: (failure) => {
        const detail = failure.kind === 'unreadable' ? null : failure.detail ? `: ${failure.detail}` : ' (no details: the worker script may have failed to load)';
        const message = detail === null ? 'a message from the pipeline worker could not be read' : `the pipeline worker crashed${stage ? ` during ${stage}` : ''}${detail}`;
        return new PipelineError(message, stage, 'crashed');
      },
    },
  );

  // Each part of the run gets a worker of its own, ended once it has answered.
  const run = async (part: RunPlan): Promise<PipelineResult> => {
    const packed = packTexts(texts);
    const transfer = [...packedTransfer(packed), ...(part.resume?.partial ? [part.resume.partial.vectors.buffer as ArrayBuffer] : [])];
    const outcome = await rpc.request<Outcome>({ ...part, texts: packed }, transfer).finally(() => rpc.close());
    if (outcome.type === 'result') return outcome.result;
    onEvent(outcome);
    if (cancelled) throw cancelled;
    return run({ ...part, device: 'wasm', resume: { reason: outcome.reason, partial: outcome.partial } });
  };

  return {
    result: run(plan),
    cancel() {
      cancelled = new PipelineError('cancelled', stage, 'cancelled');
      rpc.close(cancelled);
    },
  };
}
