/**
 * The page's handle on a pipeline run (src/pipeline/client.ts), with a stand-in worker: the texts are
 * packed for each worker that needs them and moved to it, not held by the page through the run, and a
 * run resumed on WASM after WebGPU failed gets the same texts again with what was embedded.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPipeline, type RunPlan } from '../../src/pipeline/client';
import { DEFAULT_PIPELINE_PARAMS, type PipelineResult } from '../../src/pipeline/types';
import type { RunMessage, WorkerMessage } from '../../workers/messages';
import { unpackTexts, type TextSource } from '../../src/pipeline/packed-texts';

class FakeWorker extends EventTarget {
  static started: FakeWorker[] = [];
  sent: RunMessage | null = null;
  transferred: Transferable[] = [];
  constructor() {
    super();
    FakeWorker.started.push(this);
  }
  postMessage(message: RunMessage, transfer: Transferable[]): void {
    this.sent = message;
    this.transferred = transfer;
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

  it('packs the texts for each worker it starts and moves them there, and resumes on WASM with them and what WebGPU embedded', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const papers = ['a paper', 'another paper — résumé'];
    const made: number[] = [];
    const texts: TextSource = { count: papers.length, text: (i) => (made.push(i), papers[i]!) };
    const events: string[] = [];
    const run = startPipeline(plan, texts, (m) => events.push(m.type));
    await flush();
    expect(made.length).toBeGreaterThan(0);
    const first = FakeWorker.started[0]!;
    expect(first.sent).toMatchObject({ device: 'webgpu', resume: null });
    expect(unpackTexts(first.sent!.texts)).toEqual(papers);
    expect(first.transferred).toContain(first.sent!.texts.bytes.buffer);
    expect(first.transferred).toContain(first.sent!.texts.ends.buffer);
    const madeForFirst = made.length;

    const partial = { vectors: new Float32Array(4), dims: 2, done: 1 };
    first.reply({ type: 'gpu-failed', reason: 'device lost', partial });
    await flush();
    expect(made.length).toBe(2 * madeForFirst);
    const second = FakeWorker.started[1]!;
    expect(second.sent).toMatchObject({ device: 'wasm', resume: { reason: 'device lost', partial: { dims: 2, done: 1 } } });
    expect(unpackTexts(second.sent!.texts)).toEqual(papers);
    expect(second.transferred).toContain(partial.vectors.buffer);
    expect(events).toEqual(['gpu-failed']);

    const result = { coords: new Float32Array(4) } as unknown as PipelineResult;
    second.reply({ type: 'result', result });
    await expect(run.result).resolves.toBe(result);
    expect(made.length).toBe(2 * madeForFirst);
  });
});
