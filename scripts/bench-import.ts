/**
 * Importing a big file with its own vectors, Parquet against CSV, in headless Chromium (after npm run
 * build): the same N papers (seeded text, 384-d unit vectors, x/y so that no layout runs) written as a
 * CSV whose embedding column holds JSON arrays (five decimals) and as a Parquet file
 * with a list<float> column (as pyarrow writes). Each is opened by ?corpus= in a fresh browser profile:
 * the app's `timings.corpus` (fetch, read and check the file in the import worker, keep it in
 * IndexedDB), the time until the map is drawn, and the renderer's peak memory. The renderer's peak
 * also holds the page, IndexedDB and the later stages, so each file (and an Arrow IPC file of the
 * same papers) is also read alone in Node by the import worker's own code, one process each
 * (scripts/lib/import-case.ts): its time and the process's peak memory.
 *
 *   npx tsx scripts/bench-import.ts [--n=100000] [--runs=1]
 *
 * Writes bench/import-results.json.
 */
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { float32, float64, list, tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import { execFileSync } from 'node:child_process';
import { serveDist } from '../test/browser/harness';
import { vocabulary } from '../test/support/big-corpus';
import { clusteredUnitVectors } from '../test/support/synthetic-map';
import { mulberry32 } from '../src/math/random';
import { watchRendererMemory } from './lib/renderer-memory';

const ROOT = new URL('../', import.meta.url).pathname;
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 100_000);
const RUNS = arg('runs', 1);
const DIMS = 384;

interface Papers {
  ids: string[];
  titles: string[];
  abstracts: string[];
  x: number[];
  y: number[];
  vectors: Float32Array;
}

async function papers(n: number): Promise<Papers> {
  const random = mulberry32(11);
  const vocab = await vocabulary();
  const words = (k: number) => Array.from({ length: k }, () => vocab[Math.floor(random() * vocab.length)]!).join(' ');
  const vectors = clusteredUnitVectors(n, DIMS, { seed: 5 });
  return {
    ids: Array.from({ length: n }, (_, i) => `p${i}`),
    titles: Array.from({ length: n }, (_, i) => `${words(6)} ${i}`),
    abstracts: Array.from({ length: n }, () => words(60)),
    x: Array.from({ length: n }, (_, i) => vectors[i * DIMS]! * 10),
    y: Array.from({ length: n }, (_, i) => vectors[i * DIMS + 1]! * 10),
    vectors,
  };
}

async function writeCsv(path: string, p: Papers): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('id,title,abstract,x,y,embedding\n');
  let chunk = '';
  for (let i = 0; i < p.ids.length; i++) {
    // Five decimals: a smaller file than pandas' full float repr (which would put 100,000 × 384 past the 500 MB import limit).
    const vector = Array.from(p.vectors.subarray(i * DIMS, (i + 1) * DIMS), (v) => v.toFixed(5)).join(',');
    chunk += `${p.ids[i]},${p.titles[i]},${p.abstracts[i]},${p.x[i]},${p.y[i]},"[${vector}]"\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(resolve));
}

async function writeParquet(path: string, p: Papers): Promise<void> {
  const n = p.ids.length;
  const columnData = [
    { name: 'id', data: p.ids },
    { name: 'title', data: p.titles },
    { name: 'abstract', data: p.abstracts },
    { name: 'x', data: p.x },
    { name: 'y', data: p.y },
    { name: 'embedding', data: Array.from({ length: n }, (_, i) => Array.from(p.vectors.subarray(i * DIMS, (i + 1) * DIMS))) },
  ];
  const schema = [
    { name: 'root', num_children: 6 },
    { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'title', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'abstract', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'x', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'y', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'embedding', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
  ] as const;
  // Row groups of 10,000 as pyarrow's writers commonly leave them.
  await writeFile(path, new Uint8Array(parquetWriteBuffer({ columnData, schema: schema as never, rowGroupSize: 10_000 })));
}

async function writeArrow(path: string, p: Papers): Promise<void> {
  const n = p.ids.length;
  const embedding = Array.from({ length: n }, (_, i) => p.vectors.subarray(i * DIMS, (i + 1) * DIMS));
  const table = tableFromArrays({ id: p.ids, title: p.titles, abstract: p.abstracts, x: p.x, y: p.y, embedding }, { types: { id: utf8(), title: utf8(), abstract: utf8(), x: float64(), y: float64(), embedding: list(float32()) } });
  await writeFile(path, tableToIPC(table, { format: 'file' })!);
}

/** The import worker's code on one file in a process of its own (two runs; the median is the first of two sorted). */
function readAlone(path: string): { ms: number; peakMB: number } {
  const runs = Array.from({ length: 2 }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/lib/import-case.ts'), path], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8000' } });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { papers: number; ms: number; peakMB: number };
    if (result.papers !== N) throw new Error(`${path}: read ${result.papers} papers, not ${N}`);
    return result;
  });
  return { ms: Math.min(...runs.map((r) => r.ms)), peakMB: Math.max(...runs.map((r) => r.peakMB)) };
}

async function open(url: string, profile: string): Promise<{ importMs: number; readyMs: number; peakMB: number; timings: Record<string, number> }> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1280, height: 800 } });
  const memory = watchRendererMemory(profile);
  try {
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => window.papermap !== undefined);
    await page.evaluate(() => window.papermap.ready);
    const readyMs = Date.now() - t0;
    const state = await page.evaluate(() => window.papermap.state());
    if (state.papers !== N) throw new Error(`${url}: the map has ${state.papers} papers, not ${N}: ${await page.locator('#progress').textContent()}`);
    return { importMs: state.timings.corpus ?? NaN, readyMs, peakMB: memory.stop(), timings: state.timings };
  } finally {
    memory.stop();
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const deploy = await mkdtemp(join(tmpdir(), 'papermap-bench-import-'));
try {
  await cp(join(ROOT, 'dist'), deploy, { recursive: true });
  await mkdir(join(deploy, 'data'), { recursive: true });
  console.log(`Writing ${N.toLocaleString('en')} papers with ${DIMS}-d vectors as CSV, Parquet and Arrow…`);
  const data = await papers(N);
  await writeCsv(join(deploy, 'data/papers.csv'), data);
  await writeParquet(join(deploy, 'data/papers.parquet'), data);
  await writeArrow(join(deploy, 'data/papers.arrow'), data);
  const alone: Record<string, unknown>[] = [];
  for (const format of ['csv', 'parquet', 'arrow'] as const) {
    const path = join(deploy, `data/papers.${format}`);
    const row = { format, megabytes: +((await stat(path)).size / 1e6).toFixed(1), ...readAlone(path) };
    alone.push(row);
    console.log('read alone (Node, the import worker\'s code):', row);
  }
  const server = await serveDist({ root: deploy });
  const results: Record<string, unknown>[] = [];
  for (const format of ['csv', 'parquet'] as const) {
    const bytes = (await stat(join(deploy, `data/papers.${format}`))).size;
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const profile = await mkdtemp(join(tmpdir(), 'papermap-profile-'));
      runs.push(await open(`${server.url}?device=wasm&corpus=data/papers.${format}`, profile));
      await rm(profile, { recursive: true, force: true });
    }
    const row = { format, papers: N, dims: DIMS, megabytes: +(bytes / 1e6).toFixed(1), runs: RUNS, importS: +(median(runs.map((r) => r.importMs)) / 1000).toFixed(1), readyS: +(median(runs.map((r) => r.readyMs)) / 1000).toFixed(1), peakRendererMB: Math.round(median(runs.map((r) => r.peakMB))), timings: runs[0]!.timings };
    results.push(row);
    console.log(row);
  }
  await server.close();
  const [csv, parquet] = results as { importS: number; readyS: number; megabytes: number; peakRendererMB: number }[];
  const ratios = { fileSize: +(csv!.megabytes / parquet!.megabytes).toFixed(2), import: +(csv!.importS / parquet!.importS).toFixed(2), ready: +(csv!.readyS / parquet!.readyS).toFixed(2), peakMemory: +(csv!.peakRendererMB / parquet!.peakRendererMB).toFixed(2) };
  console.log('CSV / Parquet:', ratios);
  await writeFile(join(ROOT, 'bench/import-results.json'), JSON.stringify({ date: new Date().toISOString(), machine: { cpus: cpus().length, load: loadavg().map((l) => +l.toFixed(2)) }, results, ratios, readAlone: alone }, null, 1) + '\n');
} finally {
  await rm(deploy, { recursive: true, force: true });
}
