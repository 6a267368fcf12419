/**
 * The page's handle on a pipeline run (src/pipeline/client.ts), with a stand-in worker: the texts are
 * made for each worker that needs them, not held by the page through the run, and a run resumed on
 * WASM after WebGPU failed gets the same texts again with what was embedded.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPipeline, type RunPlan } from '../../src/pipeline/client';
import { DEFAULT_PIPELINE_PARAMS, type PipelineResult } from '../../src/pipeline/types';
import type { RunRequest, WorkerMessage } from '../../workers/messages';

class FakeWorker extends EventTarget {
  static started: FakeWorker[] = [];
  sent: RunRequest | null = null;
  constructor() {
    super();
    FakeWorker.started.push(this);
  }
  postMessage(message: RunRequest): void {
    this.sent = message;
  }
  terminate(): void {}
  reply(data: WorkerMessage): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
}

const plan: RunPlan = { type: 'run', modelId: 'm', modelsUrl: '', ortUrl: '', device: 'webgpu', params: DEFAULT_PIPELINE_PARAMS, simulate: null, resume: null };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a pipeline run from the page', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeWorker.started = [];
  });

  it('makes the texts for each worker it starts, and resumes on WASM with them and what WebGPU embedded', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const made: string[][] = [];
    const texts = () => (made.push(['a paper', 'another paper']), made.at(-1)!);
    const events: string[] = [];
    const run = startPipeline(plan, texts, (m) => events.push(m.type));
    await flush();
    expect(made.length).toBe(1);
    const first = FakeWorker.started[0]!;
    expect(first.sent).toMatchObject({ texts: ['a paper', 'another paper'], device: 'webgpu', resume: null });

    const partial = { vectors: new Float32Array(4), dims: 2, done: 1 };
    first.reply({ type: 'gpu-failed', reason: 'device lost', partial });
    await flush();
    expect(made.length).toBe(2);
    const second = FakeWorker.started[1]!;
    expect(second.sent).toMatchObject({ texts: ['a paper', 'another paper'], device: 'wasm', resume: { reason: 'device lost', partial: { dims: 2, done: 1 } } });
    expect(events).toEqual(['gpu-failed']);

    const result = { coords: new Float32Array(4) } as unknown as PipelineResult;
    second.reply({ type: 'result', result });
    await expect(run.result).resolves.toBe(result);
    expect(made.length).toBe(2);
  });
});
