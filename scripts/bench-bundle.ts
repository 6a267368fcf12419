/**
 * A prebuilt map bundle at scale (after npm run build): npm run build-map on a generated corpus of N
 * papers with their own positions (the scale test's file), then the bundle opened by ?map= in a fresh
 * headless Chromium profile, against the same file imported by ?corpus= (the map computed in the
 * browser from its positions), side by side: bundle size, build time, time to the drawn map, and the
 * renderer's peak memory.
 *
 *   npx tsx scripts/bench-bundle.ts [--n=1000000]
 *
 * Writes bench/bundle-results.json.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from '../test/browser/harness';
import { cachedBigCorpus } from '../test/support/big-corpus';
import { watchRendererMemory } from './lib/renderer-memory';

const ROOT = new URL('../', import.meta.url).pathname;
const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 1_000_000);

async function open(url: string): Promise<{ readyS: number; peakMB: number; timings: Record<string, number>; ran: string[]; source: string | null }> {
  const profile = await mkdtemp(join(tmpdir(), 'papermap-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1280, height: 800 } });
  const memory = watchRendererMemory(profile);
  try {
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(url, { timeout: 0 });
    await page.waitForFunction(() => window.papermap !== undefined, null, { timeout: 0 });
    await page.evaluate(() => window.papermap.ready);
    const readyS = (Date.now() - t0) / 1000;
    const state = await page.evaluate(() => window.papermap.state());
    if (state.papers !== N) throw new Error(`${url}: ${state.papers} papers: ${await page.locator('#progress').textContent()}`);
    return { readyS: +readyS.toFixed(1), peakMB: Math.round(memory.stop()), timings: state.timings, ran: state.ran, source: state.source };
  } finally {
    memory.stop();
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const { path: csv } = await cachedBigCorpus({ n: N });
const deploy = await mkdtemp(join(tmpdir(), 'papermap-bench-bundle-'));
try {
  await cp(join(ROOT, 'dist'), deploy, { recursive: true });
  await mkdir(join(deploy, 'data'), { recursive: true });
  await cp(csv, join(deploy, 'data/papers.csv'));
  const t0 = Date.now();
  execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/build-map.ts', csv, '--out', join(deploy, 'data')], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } });
  const buildS = (Date.now() - t0) / 1000;
  const bundle = (await readdir(join(deploy, 'data'))).find((f) => f.endsWith('.papermap'))!;
  const bundleMB = (await stat(join(deploy, 'data', bundle))).size / 1e6;
  const server = await serveDist({ root: deploy });
  const prebuilt = await open(`${server.url}?device=wasm&map=data/${bundle}`);
  console.log('bundle', prebuilt);
  const imported = await open(`${server.url}?device=wasm&corpus=data/papers.csv`);
  console.log('csv', imported);
  await server.close();
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, load: loadavg().map((l) => +l.toFixed(2)) },
    papers: N,
    csvMB: +((await stat(csv)).size / 1e6).toFixed(1),
    bundleMB: +bundleMB.toFixed(1),
    buildMapS: +buildS.toFixed(1),
    prebuilt,
    imported,
    ratios: { ready: +(imported.readyS / prebuilt.readyS).toFixed(2), peakMemory: +(imported.peakMB / prebuilt.peakMB).toFixed(2) },
  };
  console.log(result);
  await writeFile(join(ROOT, 'bench/bundle-results.json'), JSON.stringify(result, null, 1) + '\n');
} finally {
  await rm(deploy, { recursive: true, force: true });
}
