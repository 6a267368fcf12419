/**
 * The GPU check (`npm run bench:gpu`) runs only where a GPU machine is lent, so what can rot between
 * loans is tested here: the bundle still builds from this tree (its two patches to dependency texts
 * still apply), the bundled script answers in bare Node, its summary reads a device run's results,
 * and a software adapter's results are refused as a GPU measurement.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleGpuBench } from '../../scripts/gpu/bundle';

const root = new URL('../../', import.meta.url).pathname;
let dir: string;

/** Results as a device run writes them (shortened). */
const deviceResults = [
  { kind: 'adapter', at: '2026-12-07T10:00:00.000Z', adapters: [{ info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false }, shaderF16: true }], appChoice: { device: 'webgpu', reason: 'WebGPU adapter found' }, cpus: 16, cpuModel: 'x' },
  { kind: 'knn', n: 10000, d: 384, gpuFirstMs: 250, gpuBestMs: 30, cpuMs: 640, cpuMethod: 'nn-descent', gpuRecall: 1, cpuRecall: 0.996, appChoosesGpu: true, appChoiceFaster: true },
  { kind: 'embed', label: 'bench/random-bert webgpu b32 longest first', papersPerSecond: 91.5, papersDone: 2048, papersAsked: 2048, firstBatchMs: 1300, medianBatchMs: 350, ortRunMsMedian: 240, paddedPerReal: 1.06, loadMs: 1400 },
  { kind: 'embed', label: 'bench/static-int8 webgpu b32 longest first', modelId: 'bench/static-int8', device: 'webgpu', papersPerSecond: null, papersDone: 32, papersAsked: 512, firstBatchMs: 34000, firstRows: [[1, 0], [0, 1], [0.6, 0.8], [1, 1]] },
  { kind: 'embed', label: 'bench/static-f32 webgpu b32 longest first', modelId: 'bench/static-f32', device: 'webgpu', papersPerSecond: 70.2, papersDone: 512, papersAsked: 512, firstBatchMs: 1000, firstRows: [[2, 0], [0, 3], [0.6, 0.8], [-1, -1]] },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'papermap-gpu-check-'));
  await bundleGpuBench(join(dir, 'bench.mjs'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the GPU check', () => {
  it('bundles from this tree and runs in bare Node: usage, then the summary of a device run', () => {
    const usage = spawnSync(process.execPath, [join(dir, 'bench.mjs')], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: bench\.mjs probe\|knn\|pipeline\|genmodel\|genstatic\|embed\|summary/);
    const out = join(dir, 'out');
    execFileSync('mkdir', ['-p', out]);
    writeFileSync(join(out, 'results.jsonl'), deviceResults.map((r) => JSON.stringify(r)).join('\n') + '\n');
    execFileSync(process.execPath, [join(dir, 'bench.mjs'), 'summary'], { env: { ...process.env, OUT: out } });
    const summary = readFileSync(join(out, 'summary.txt'), 'utf8');
    expect(summary).toMatch(/^adapter: nvidia \| hopper \| NVIDIA H100 \| fallback=false \| shader-f16=true; app chooses webgpu/m);
    expect(summary).toMatch(/^knn 10000×384: GPU first 250 ms, best 30 ms \(recall 1\); CPU nn-descent 640 ms \(recall 0\.996\); app picks GPU$/m);
    expect(summary).toMatch(/^embed bench\/random-bert webgpu b32 longest first: 91\.5 papers\/s \(2048\/2048\)/m);
    expect(summary).toMatch(/^embed bench\/static-int8 webgpu b32 longest first: no steady rate \(one batch\) \(32\/512\), first batch 34000 ms/m);
    expect(summary).toMatch(/^agreement static: cosine\(int8 graph, float32 table\) of rows 0–3 = 1\.000000, 1\.000000, 1\.000000, -1\.000000$/m);
  }, 60_000);

  it('records a hardware adapter’s results with the date and adapter, and refuses a software one', () => {
    const hardware = join(dir, 'hardware');
    const software = join(dir, 'software');
    execFileSync('mkdir', ['-p', hardware, software]);
    writeFileSync(join(hardware, 'results.jsonl'), deviceResults.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const swiftshader = { ...deviceResults[0], adapters: [{ info: { vendor: 'google', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true } }] };
    writeFileSync(join(software, 'results.jsonl'), JSON.stringify(swiftshader) + '\n');
    const record = (folder: string, file: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/gpu/record.ts'), folder], { encoding: 'utf8', env: { ...process.env, PM_GPU_RESULTS: file } });
    const refused = record(software, join(dir, 'never.json'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/a software adapter \(SwiftShader driver 5\.0\.0\): not a GPU measurement, not recorded/);
    const kept = join(dir, 'gpu-results.json');
    expect(record(hardware, kept).status).toBe(0);
    const saved = JSON.parse(readFileSync(kept, 'utf8')) as { date: string; adapter: { description: string }; results: unknown[] };
    expect(saved.date).toBe('2026-12-07');
    expect(saved.adapter.description).toBe('NVIDIA H100');
    expect(saved.results).toHaveLength(5);
  }, 60_000);
});
