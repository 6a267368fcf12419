/**
 * The built app in headless Chromium (npx tsx scripts/bench-browser.ts, after npm run build):
 *
 *   - embedding throughput: papers/s of the shipped embedded model on WASM, from the pipeline's own
 *     `timings.embed`, building the maps of synthetic corpora of N papers imported by ?corpus=<url>;
 *   - cold build vs cached reopen: navigation → map ready, then reload → map ready from IndexedDB
 *     (median of 3); at 100,000 papers, when the cold build does not finish within its limit, the
 *     map entry is written straight into the app's cache (a synthetic map of the right size, through
 *     the app's own MapCache) and the reopen is measured from that;
 *   - the map cache alone: a synthetic 100,000 × 384 map through the app's MapCache, read back in a
 *     fresh browser (IndexedDB get + unpack + dequantise), with its stored bytes;
 *   - the shipped map built cold in a browser that has the model already (?prebuilt=0), median of 3;
 *   - peak memory: the renderer processes' resident set (VmRSS) sampled every 250 ms and their VmHWM
 *     (peak resident set), from /proc, whichever is larger (Chromium resets VmHWM during a long build).
 *     The page and its workers share one renderer process, so this covers the pipeline too. A reopen's
 *     peak is read in a freshly started browser on the same profile, so the cold build's is not in it.
 *
 * Corpora are realistic abstracts made by sampling sentences of the shipped corpus's abstracts
 * (seeded). The app is served as `npm start` serves it (COOP/COEP: cross-origin isolated). Each map
 * gets a fresh on-disk profile. Prints a table and writes bench/browser-results.json.
 *
 *   --embed=5000,20000   corpus sizes for throughput and cold build vs reopen
 *   --reopen=100000      corpus size for the reopen at scale
 *   --cold-limit=300     seconds the cold build at the --reopen size may take before it is given up
 *                        (the --embed sizes are built to the end)
 *   --quick              --embed=2000 --reopen=20000 --cold-limit=120
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { watchRendererMemory } from './lib/renderer-memory';
import { buildCacheProbe } from '../test/browser/cache-probe/build';
import type { ProbeMap } from '../test/browser/cache-probe/page';
import { seededRandom } from '../test/support/synthetic-map';
import { mapKey, mapModelKey } from '../src/cache/maps';
import { DEFAULT_PIPELINE_PARAMS } from '../src/pipeline/types';
import { DEFAULT_MODEL_ID } from '../src/model/models';
import type { Corpus } from '../src/corpus/types';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const MODEL_ID = DEFAULT_MODEL_ID;
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string, fallback: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const EMBED_NS = option('embed', quick ? '2000' : '5000,20000').split(',').filter((x) => x !== 'none').map(Number);
const REOPEN_N = Number(option('reopen', quick ? '20000' : '100000'));
const COLD_LIMIT_S = Number(option('cold-limit', quick ? '120' : '300'));
const RELOADS = 3;

if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run npm run build first');

// ─── Synthetic corpora ──────────────────────────────────────────────────────────────────────────

/**
 * n papers as JSONL: each abstract takes most of its sentences from one shipped paper and the rest
 * from another, so the corpus has topics (and real vocabulary) rather than uniform noise.
 */
function writeCorpus(path: string, n: number, seed = 1): void {
  const shipped = JSON.parse(readFileSync(join(ROOT, 'public/corpus/corpus.json'), 'utf8')) as Corpus;
  const papers = shipped.papers.map((p) => ({ title: p.title.split(/\s+/), sentences: p.abstract.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20) }));
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = pick(papers);
    const other = pick(papers);
    const title = base.title.map((word) => (random() < 0.2 ? pick(other.title) : word)).join(' ');
    const count = 4 + Math.floor(random() * 6);
    const sentences = Array.from({ length: count }, () => pick(random() < 0.7 ? base.sentences : other.sentences));
    lines.push(JSON.stringify({ id: `syn-${String(i).padStart(7, '0')}`, title, abstract: sentences.join(' ') }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

// ─── Serving: the built app, the corpora and the cache probe, from one origin ──────────────────────

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.jsonl': 'application/jsonl', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

function serve(mounts: [prefix: string, dir: string][]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p))!;
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-cache',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

// ─── Chromium, one on-disk profile per map ─────────────────────────────────────────────────────────

const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'];

/**
 * Timestamps taken in the page: when the app starts (the first thing App.start() awaits is opening its
 * IndexedDB database) and when its `ready` resolves (not when the benchmark gets round to asking).
 * A string, not a function: tsx would wrap the function's inner functions in a helper the page lacks.
 */
const PAGE_MARKS = `
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args) => {
    window.appStartedAt ??= performance.now();
    return open(...args);
  };
  let api;
  Object.defineProperty(window, 'papermap', {
    configurable: true,
    get: () => api,
    set: (value) => {
      api = value;
      value.ready.then(() => (window.readyAt = performance.now()), (error) => (window.readyFailed = String(error)));
    },
  });
`;

async function launch(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: FLAGS, viewport: { width: 1280, height: 800 } });
  await context.addInitScript(PAGE_MARKS);
  return context;
}


/** Milliseconds from the navigation's start to window.papermap.ready, the app's state then, and when the app started. */
async function untilReady(page: Page, timeoutMs: number) {
  const done = await page
    .waitForFunction(() => {
      const marks = window as unknown as { readyAt?: number; readyFailed?: string };
      return marks.readyAt !== undefined || marks.readyFailed !== undefined;
    }, null, { timeout: timeoutMs, polling: 100 })
    .then(() => true, () => false);
  if (!done) return null;
  const { readyAt, appStartedAt, readyFailed } = await page.evaluate(() => {
    const m = window as unknown as { appStartedAt?: number; readyAt?: number; readyFailed?: string };
    return { readyAt: m.readyAt ?? NaN, appStartedAt: m.appStartedAt ?? NaN, readyFailed: m.readyFailed ?? null };
  });
  if (readyFailed !== null) throw new Error(`the map could not be drawn: ${readyFailed}`);
  return { ms: readyAt, loadedMs: appStartedAt, state: await page.evaluate(() => window.papermap.state()) };
}

// ─── Measurements ──────────────────────────────────────────────────────────────────────────────────

interface Row {
  what: string;
  n: number;
  medianMs: number | null;
  runsMs?: number[];
  [extra: string]: unknown;
}

const results: Row[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number) => Math.round(x);

/** RELOADS reopens from the cache: page.reload(), or navigations to `url`. */
async function reloads(page: Page, url?: string): Promise<{ runs: number[]; timings: Record<string, number>[] }> {
  const runs: number[] = [];
  const timings: Record<string, number>[] = [];
  for (let r = 0; r < RELOADS; r++) {
    await (url ? page.goto(url) : page.reload());
    const ready = await untilReady(page, 600_000);
    if (!ready?.state.cached) throw new Error(`the reopen did not come from the cache: ${JSON.stringify(ready?.state.cacheProblem ?? ready?.state.error)}`);
    runs.push(ready.ms);
    timings.push({ ...ready.state.timings, pageLoad: ready.loadedMs });
  }
  return { runs, timings };
}

/** The reopen's parts: the page loading until the app starts, the app's own steps, and what follows drawing (labels, legend, selection). */
function reopenParts(timings: Record<string, number>[], runs: number[]) {
  const med = (key: string) => round(median(timings.map((t) => t[key] ?? NaN)));
  const rest = median(timings.map((t, i) => runs[i]! - (t.pageLoad ?? 0) - (t.corpus ?? 0) - (t.cache ?? 0) - (t.render ?? 0)));
  return { pageLoadMs: med('pageLoad'), corpusMs: med('corpus'), cacheMs: med('cache'), renderMs: med('render'), restMs: round(rest) };
}

/** The reopen once more in a freshly started browser on the same profile: its time and peak memory alone. */
async function freshReopen(profile: string, url: string) {
  const context = await launch(profile);
  const memory = watchRendererMemory(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  const ready = await untilReady(page, 600_000);
  const peak = memory.stop();
  await context.close();
  return { ms: ready?.ms ?? null, cached: ready?.state.cached ?? false, peakRendererMB: round(peak) };
}

async function measure(n: number, origin: string, corpusDir: string, probeUrl: string): Promise<void> {
  const file = join(corpusDir, `synthetic-${n}.jsonl`);
  if (!existsSync(file)) writeCorpus(file, n);
  const url = `${origin}/?device=wasm&corpus=${encodeURIComponent(`${origin}/bench-corpus/synthetic-${n}.jsonl`)}`;
  const profile = mkdtempSync(join(tmpdir(), 'papermap-bench-'));
  try {
    console.error(`· ${n.toLocaleString('en')} papers: cold build…`);
    let context: BrowserContext = await launch(profile);
    const memory = watchRendererMemory(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    // Only the size measured for the reopen at scale is cut off; the others are built to the end.
    const limitS = n === REOPEN_N ? COLD_LIMIT_S : 1800;
    const cold = await untilReady(page, limitS * 1000);
    const coldPeak = round(memory.stop());
    let written: { writeMs: number; bytes: number } | null = null;
    if (cold) {
      if (cold.state.cached || cold.state.error) throw new Error(`the cold build did not run the pipeline: ${JSON.stringify(cold.state.error)}`);
      const t = cold.state.timings;
      const embedMs = t.embed ?? NaN;
      results.push({ what: `embedding throughput (${MODEL_ID}, WASM, ${cold.state.threads} thread${cold.state.threads === 1 ? '' : 's'})`, n, medianMs: round(embedMs), papersPerSecond: round(n / (embedMs / 1000)), modelLoadMs: round(t.model ?? NaN) });
      results.push({ what: 'cold build: navigation → map ready', n, medianMs: round(cold.ms), runsMs: [round(cold.ms)], stagesMs: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v)])), peakRendererMB: coldPeak });
    } else {
      // Too slow at this size with the current layout: note how far it got, then write the map into the cache directly.
      const progress = (await page.locator('#progress').textContent().catch(() => null))?.replace(/\s+/g, ' ').trim().slice(0, 300) ?? null;
      results.push({ what: 'cold build: navigation → map ready', n, medianMs: null, note: `did not finish within ${limitS} s`, progressAtLimit: progress, peakRendererMB: coldPeak });
      await context.close();
      const probe = await launch(profile);
      page = probe.pages()[0] ?? (await probe.newPage());
      // The app's service worker, installed by the cold build, answers every navigation on the origin with
      // the app: unregister it (only it; the app installs it again on its next visit).
      await (await probe.newCDPSession(page)).send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers' });
      await page.goto(probeUrl);
      await page.waitForFunction(() => window.cacheProbe !== undefined);
      const stored = await page.evaluate(async (corpusUrl) => {
        const request = indexedDB.open('papermap');
        const db = await new Promise<IDBDatabase>((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
        const all = await new Promise<{ hash: string; source: { url?: string }; corpus: { papers: unknown[] } }[]>((resolve) => {
          const r = db.transaction('corpora').objectStore('corpora').getAll();
          r.onsuccess = () => resolve(r.result);
        });
        db.close();
        const found = all.find((c) => c.source.url === corpusUrl);
        return found ? { hash: found.hash, n: found.corpus.papers.length } : null;
      }, `${origin}/bench-corpus/synthetic-${n}.jsonl`);
      if (!stored) throw new Error('the imported corpus was not kept in IndexedDB: cannot write its map');
      const map: ProbeMap = { n: stored.n, dims: 128, key: mapKey(stored.hash, mapModelKey(MODEL_ID, null), DEFAULT_PIPELINE_PARAMS), corpusHash: stored.hash, modelId: MODEL_ID };
      const write = await page.evaluate((m) => window.cacheProbe.write(m), map);
      if (!write.stored) throw new Error(`the map could not be written: ${write.reason}`);
      written = { writeMs: round(write.writeMs), bytes: write.recordBytes };
      await probe.close();
      context = await launch(profile);
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      const first = await untilReady(page, 600_000);
      if (!first?.state.cached) throw new Error(`the written map was not opened from the cache: ${JSON.stringify(first?.state)}`);
    }

    console.error(`· ${n.toLocaleString('en')} papers: ${RELOADS} reloads from the cache…`);
    const reopened = await reloads(page);
    // The same map with the corpus read from the copy kept in IndexedDB rather than fetched and imported again.
    const local = `${origin}/?device=wasm&corpus=local:${(await page.evaluate(() => window.papermap.state())).corpusHash}`;
    const fromLocal = await reloads(page, local);
    await context.close();
    const fresh = await freshReopen(profile, url);
    if (!fresh.cached) throw new Error('the reopen in a fresh browser did not open from the cache');
    if (n === EMBED_NS[0]) await shippedCold(profile, origin);
    const reopenMs = median(reopened.runs);
    results.push({
      what: `cached reopen: reload → map ready${written ? ' (map written into the cache directly)' : ''}`,
      n,
      medianMs: round(reopenMs),
      runsMs: reopened.runs.map(round),
      // The split of a reopen: loading the page; the app reading the corpus (?corpus=<url> is fetched and
      // imported again), the map cache, drawing; the rest until ready.
      ...reopenParts(reopened.timings, reopened.runs),
      reopenOverCold: cold ? Number((reopenMs / cold.ms).toFixed(3)) : null,
      // A cold build cut off at its limit took at least that long: the ratio is at most this.
      ...(cold ? {} : { reopenOverColdAtMost: Number((reopenMs / (limitS * 1000)).toFixed(3)) }),
      freshBrowserReopenMs: fresh.ms === null ? null : round(fresh.ms),
      peakRendererMB: fresh.peakRendererMB,
      ...(written ? { writtenMapBytes: written.bytes, writeMs: written.writeMs } : {}),
    });
    results.push({
      what: 'cached reopen, corpus from IndexedDB (?corpus=local:<hash>) → map ready',
      n,
      medianMs: round(median(fromLocal.runs)),
      runsMs: fromLocal.runs.map(round),
      ...reopenParts(fromLocal.timings, fromLocal.runs),
      reopenOverCold: cold ? Number((median(fromLocal.runs) / cold.ms).toFixed(3)) : null,
      ...(cold ? {} : { reopenOverColdAtMost: Number((median(fromLocal.runs) / (limitS * 1000)).toFixed(3)) }),
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The shipped map built cold in a browser that already has the model (this profile built a map
 * before): ?prebuilt=0, the maps store emptied before each run so every run computes the map.
 */
async function shippedCold(profile: string, origin: string): Promise<void> {
  console.error(`· the shipped map, cold, model cached: ${RELOADS} builds…`);
  const url = `${origin}/?device=wasm&prebuilt=0`;
  const context = await launch(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  const forgetMaps = () =>
    page.evaluate(async () => {
      const request = indexedDB.open('papermap');
      const db = await new Promise<IDBDatabase>((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
      await new Promise((resolve, reject) => {
        const clear = db.transaction('maps', 'readwrite').objectStore('maps').clear();
        clear.onsuccess = resolve;
        clear.onerror = () => reject(clear.error);
      });
      db.close();
    });
  const runs: number[] = [];
  const stages: Record<string, number>[] = [];
  try {
    // Once unmeasured: the shipped corpus and this page's own files reach the service worker's cache.
    await page.goto(url);
    await untilReady(page, 120_000);
    await forgetMaps();
    for (let r = 0; r < RELOADS; r++) {
      await page.goto(url);
      const ready = await untilReady(page, 120_000);
      if (!ready || ready.state.cached) throw new Error(`the shipped map was not built cold: ${JSON.stringify(ready?.state)}`);
      runs.push(ready.ms);
      stages.push(ready.state.timings);
      await forgetMaps();
    }
  } finally {
    await context.close();
  }
  const n = (JSON.parse(readFileSync(join(ROOT, 'public/corpus/corpus.json'), 'utf8')) as Corpus).papers.length;
  results.push({ what: 'shipped map, cold build with the model cached (?prebuilt=0): navigation → map ready', n, medianMs: round(median(runs)), runsMs: runs.map(round), stagesMs: Object.fromEntries(Object.keys(stages[0]!).map((k) => [k, round(median(stages.map((t) => t[k] ?? NaN)))])) });
}

/** The map cache alone, through the app's MapCache: a synthetic n × dims map written, then read in a fresh browser. */
async function cacheAlone(n: number, dims: number, probeUrl: string): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'papermap-bench-'));
  const map: ProbeMap = { n, dims, key: 'bench' };
  try {
    console.error(`· the map cache alone: ${n.toLocaleString('en')} × ${dims}…`);
    const open = async () => {
      const context = await launch(profile);
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(probeUrl);
      await page.waitForFunction(() => window.cacheProbe !== undefined);
      return { context, page };
    };
    let { context, page } = await open();
    const write = await page.evaluate((m) => window.cacheProbe.write(m), map);
    await context.close();
    const reads: number[] = [];
    let last = null;
    for (let r = 0; r < RELOADS; r++) {
      ({ context, page } = await open());
      last = await page.evaluate((m) => window.cacheProbe.read(m), map);
      await context.close();
      if (!last.hit || !last.coordsEqual || !last.topicsEqual) throw new Error(`the map read back is not the one written: ${JSON.stringify(last)}`);
      reads.push(last.readMs);
    }
    const bytes = write.recordBytes;
    results.push({
      what: `map cache alone: MapCache.read (IndexedDB get + unpack + dequantise), fresh browser`,
      n,
      dims,
      medianMs: round(median(reads)),
      runsMs: reads.map(round),
      writeMs: round(write.writeMs),
      storedBytes: bytes,
      bytesPerPaper: round(bytes / n),
      float32BytesPerPaper: 4 * dims + 4 * 5,
      loss: last?.loss,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

// ─── Main ──────────────────────────────────────────────────────────────────────────────────────────

const work = mkdtempSync(join(tmpdir(), 'papermap-bench-browser-'));
const corpusDir = join(work, 'corpora');
mkdirSync(corpusDir);
const probeDir = await buildCacheProbe(join(work, 'probe'));
const { url: origin, server } = await serve([
  ['/bench-corpus/', corpusDir],
  ['/cache-probe/', probeDir],
  ['/', DIST],
]);
try {
  await cacheAlone(REOPEN_N, 384, `${origin}/cache-probe/`);
  for (const n of [...EMBED_NS, REOPEN_N]) await measure(n, origin, corpusDir, `${origin}/cache-probe/`);
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium (${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}, --disable-gpu)`;
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench/browser-results.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);

const cell = (x: unknown) => (x === null || x === undefined ? '—' : typeof x === 'number' ? x.toLocaleString('en') : String(x));
console.log(`\n${machine}\n`);
console.log('| what | N | median ms | papers/s | reopen / cold | peak renderer MB | notes |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const notes = [r.note, r.storedBytes !== undefined ? `${r.dims}-d; ${cell(r.bytesPerPaper)} B/paper stored (float32: ${cell(r.float32BytesPerPaper)}); write ${cell(r.writeMs)} ms` : null, r.corpusMs !== undefined ? `page ${cell(r.pageLoadMs)} + corpus ${cell(r.corpusMs)} + cache ${cell(r.cacheMs)} + render ${cell(r.renderMs)} + rest ${cell(r.restMs)} ms` : null, r.freshBrowserReopenMs !== undefined ? `fresh browser ${cell(r.freshBrowserReopenMs)} ms` : null, r.stagesMs ? JSON.stringify(r.stagesMs) : null].filter(Boolean).join('; ');
  const ratio = r.reopenOverCold ?? (r.reopenOverColdAtMost !== undefined ? `≤ ${cell(r.reopenOverColdAtMost)}` : null);
  console.log(`| ${r.what} | ${cell(r.n)} | ${cell(r.medianMs)} | ${cell(r.papersPerSecond)} | ${cell(ratio)} | ${cell(r.peakRendererMB)} | ${notes} |`);
}
console.log('\nwrote bench/browser-results.json');
