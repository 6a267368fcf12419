/**
 * Rendering and interaction at scale, measured in headless Chromium: a map of N generated papers
 * (positions from the file, so no UMAP) is imported through ?corpus=<url>, then panned and zoomed with
 * the mouse while requestAnimationFrame deltas are recorded, and a large lasso is timed from pointer
 * up to the selection panel drawn. Chromium here renders WebGL on SwiftShader, a CPU renderer: the
 * numbers are not a GPU's; the ratios between sizes are what they are for.
 *
 * Usage: npm run bench:render [-- --sizes=100000,1000000 --out=bench/render-results.json]
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { foldProgress, launchChromium, serveDist } from '../test/browser/harness';
import { cachedBigCorpus } from '../test/support/big-corpus';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = (arg('sizes') ?? '100000,1000000').split(',').map(Number);
const out = arg('out') ?? 'bench/render-results.json';
/** Chromium's flag set (test/browser/harness.ts): 'wasm' is --disable-gpu, 'webgpu' composites on Vulkan SwiftShader too. */
const flags = arg('flags') === 'webgpu' ? 'webgpu' : 'wasm';
const DIST = new URL('../dist/', import.meta.url).pathname;

interface FrameStats {
  frames: number;
  fps: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

function stats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (v: number) => Math.round(v * 10) / 10;
  const seconds = deltas.reduce((a, b) => a + b, 0) / 1000;
  return { frames: sorted.length, fps: round(sorted.length / seconds), medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

/** Records requestAnimationFrame deltas in the page while `gesture` runs. */
async function frameTimes(page: Page, gesture: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx would wrap the named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.frameDeltas = [];
    window.recording = true;
    let last = 0;
    const tick = (now) => {
      window.frameDeltas.push(now - last);
      last = now;
      if (window.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  })()`);
  await gesture();
  return page.evaluate(() => {
    const w = window as unknown as { frameDeltas: number[]; recording: boolean };
    w.recording = false;
    return w.frameDeltas;
  });
}

/** Drags the map around for `seconds`, in small steps as a hand would. */
async function pan(page: Page, seconds: number): Promise<void> {
  const [cx, cy] = [640, 420];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const end = Date.now() + seconds * 1000;
  for (let t = 0; Date.now() < end; t++) {
    await page.mouse.move(cx + 160 * Math.sin(t / 15), cy + 90 * Math.sin(t / 11));
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
}

/** Wheels in, then out again, for `seconds`. */
async function zoom(page: Page, seconds: number): Promise<void> {
  await page.mouse.move(600, 400);
  const end = Date.now() + seconds * 1000;
  for (let t = 0; Date.now() < end; t++) {
    await page.mouse.wheel(0, Math.floor(t / 20) % 2 === 0 ? -60 : 60);
    await page.waitForTimeout(16);
  }
}

/** Waits until the view stops changing (wheel events queued behind slow frames still zoom). */
async function settle(page: Page): Promise<void> {
  let previous = '';
  for (;;) {
    const view = JSON.stringify(await page.evaluate(() => window.papermap.view()));
    if (view === previous) return;
    previous = view;
    await page.waitForTimeout(500);
  }
}

/** Draws a lasso over most of the map; returns ms from pointer up to the selection panel painted. */
async function lasso(page: Page): Promise<{ ms: number; selected: number }> {
  await page.keyboard.press('l');
  await page.evaluate(() => {
    const w = window as unknown as { lassoMs: Promise<number> };
    w.lassoMs = new Promise((resolve) => {
      addEventListener(
        'pointerup',
        () => {
          const t0 = performance.now();
          // The panel is rebuilt in the pointerup task; the next frame shows it.
          requestAnimationFrame(() => resolve(performance.now() - t0));
        },
        { capture: true, once: true },
      );
    });
  });
  const [cx, cy, rx, ry] = [640, 430, 330, 250];
  await page.mouse.move(cx + rx, cy);
  await page.mouse.down();
  for (let k = 1; k <= 120; k++) await page.mouse.move(cx + rx * Math.cos((2 * Math.PI * k) / 120), cy + ry * Math.sin((2 * Math.PI * k) / 120));
  await page.mouse.up();
  const ms = await page.evaluate(() => (window as unknown as { lassoMs: Promise<number> }).lassoMs);
  await page.waitForFunction(() => !document.querySelector<HTMLElement>('#selection')!.hidden);
  const selected = await page.evaluate(() => Number(document.body.dataset.selection));
  await page.keyboard.press('v');
  return { ms: Math.round(ms), selected };
}

const root = await mkdtemp(join(tmpdir(), 'papermap-bench-render-'));
await cp(DIST, root, { recursive: true });
await mkdir(join(root, 'data'), { recursive: true });
const server = await serveDist({ root });
const browser = await launchChromium(flags);
const results = [];
try {
  for (const n of sizes) {
    const { path } = await cachedBigCorpus({ n });
    await cp(path, join(root, 'data', `papers-${n}.csv`));
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })).newPage();
    const t0 = Date.now();
    await page.goto(`${server.url}?device=wasm&corpus=data/papers-${n}.csv`);
    await page.waitForFunction(() => window.papermap !== undefined);
    await page.evaluate(() => window.papermap.ready);
    const readyS = (Date.now() - t0) / 1000;
    // How long the page stays busy once the map is ready: until the next animation frame runs.
    const t1 = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    const firstFrameS = (Date.now() - t1) / 1000;
    const state = await page.evaluate(() => window.papermap.state());
    if (state.papers !== n) throw new Error(`expected ${n} papers on the map, got ${state.papers} (${state.error ?? 'no error'})`);
    await foldProgress(page);
    const overview = await page.evaluate(() => window.papermap.view());
    await page.waitForTimeout(500);
    const idle = stats(await frameTimes(page, () => page.waitForTimeout(1500)));
    const panning = stats(await frameTimes(page, () => pan(page, 4)));
    const zooming = stats(await frameTimes(page, () => zoom(page, 4)));
    // Back to the whole map, then the lasso (twice: the first also builds what later ones reuse).
    await settle(page);
    await page.evaluate((view) => window.papermap.setView(view), overview);
    const lassoFirst = await lasso(page);
    await page.keyboard.press('Escape');
    const lassoAgain = await lasso(page);
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return info && gl ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    const result = { n, flags, readyS, firstFrameS, timings: state.timings, renderer, idle, pan: panning, zoom: zooming, lassoFirst, lassoAgain };
    console.log(JSON.stringify(result));
    results.push(result);
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
}

const report = {
  what: 'rendering and interaction at scale: rAF frame times while panning / zooming with the mouse, and lasso time (pointer up to the selection panel painted), in headless Chromium',
  note: 'WebGL on SwiftShader (a CPU renderer, no GPU here): absolute numbers are not a GPU\'s; compare sizes with each other. Positions come from the file: no model and no UMAP run.',
  // The load average at the end of the run: other work on a shared machine slows a CPU renderer down.
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Math.round(loadavg()[0]! * 10) / 10 },
  date: new Date().toISOString(),
  results,
};
await mkdir(join(out, '..'), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${out}`);
