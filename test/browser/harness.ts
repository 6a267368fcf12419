/**
 * Real-browser test harness: serves the built dist/ (optionally under a sub-path, with or without
 * cross-origin isolation) and launches Debian's headless Chromium in one of the two device modes
 * documented in shared/browser.md.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
  /** Requests served, with their Range header (null for none) and status. */
  served: { path: string; range: string | null; status: number }[];
}

/** The maps manifest of a deploy that ships no prebuilt map. */
const NO_PREBUILT_MAPS = JSON.stringify({ format: 'papermap-maps', version: 1, maps: [] });

/**
 * Serves dist/ (or `root`, e.g. a copy of it standing for another deploy) under `base`. A missing file
 * is a plain-text 404, or with `fallback` the app's index.html with that status, as static hosts answer
 * (`vite preview` and single-page-app hosts: 200; GitHub Pages and others: a 404 page).
 * The deploy's prebuilt maps are served only with `prebuilt`: without, its manifest lists none, so the
 * first visit computes the map in the browser, which is what most tests are about.
 */
/** `ranges`: answer Range requests (206) and say so (Accept-Ranges), as static hosts do. */
export async function serveDist(options: { isolated?: boolean; base?: string; root?: string; fallback?: 200 | 404 | ((path: string) => 200 | 404); prebuilt?: boolean; ranges?: boolean } = {}): Promise<StaticServer> {
  const base = options.base ?? '/';
  const root = options.root ? join(options.root, '/') : DIST;
  const served: StaticServer['served'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range ?? null;
    res.on('finish', () => served.push({ path, range, status: res.statusCode }));
    if (!path.startsWith(base)) {
      res.writeHead(404).end('not under base');
      return;
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    const send = (status: number, file: string, body: Buffer) => {
      // Content-Length, as static hosts send it (without it Node answers chunked).
      const headers: Record<string, string> = { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache', 'Content-Length': String(body.length) };
      if (options.isolated) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      }
      if (options.ranges && status === 200) {
        headers['Accept-Ranges'] = 'bytes';
        const asked = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
        if (asked) {
          const [from, to] = [Number(asked[1]), Math.min(Number(asked[2]), body.length - 1)];
          headers['Content-Range'] = `bytes ${from}-${to}/${body.length}`;
          headers['Content-Length'] = String(to - from + 1);
          res.writeHead(206, headers).end(body.subarray(from, to + 1));
          return;
        }
      }
      res.writeHead(status, headers).end(body);
    };
    if (!options.prebuilt && path.slice(base.length) === 'maps/manifest.json') {
      send(200, file, Buffer.from(NO_PREBUILT_MAPS));
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      send(200, file, await readFile(file));
    } catch {
      if (options.fallback) {
        const page = join(root, 'index.html');
        send(typeof options.fallback === 'function' ? options.fallback(path) : options.fallback, page, await readFile(page));
      } else res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    served,
  };
}

export type BrowserMode = 'wasm' | 'webgpu';

const COMMON_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const MODE_FLAGS: Record<BrowserMode, string[]> = {
  wasm: ['--disable-gpu'],
  webgpu: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'],
};

export function launchChromium(mode: BrowserMode): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...COMMON_FLAGS, ...MODE_FLAGS[mode]],
  });
}

/** Opens the app and waits for window.papermap.ready; page errors are collected for assertions. */
export async function openApp(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await waitReady(page);
  return errors;
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.papermap !== undefined);
  await page.evaluate(() => window.papermap.ready);
}

/** The page's background colour (the theme's), as RGB. */
export function pageBackground(page: Page): Promise<[number, number, number]> {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
    return [r, g, b] as [number, number, number];
  });
}

/** Pixels of a screenshot that differ clearly from the given background colour, and how many hues they span. */
export function paintedPixels(png: Buffer, background: [number, number, number]): { painted: number; hues: number } {
  const image = PNG.sync.read(png);
  let painted = 0;
  const hues = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const r = image.data[i]!, g = image.data[i + 1]!, b = image.data[i + 2]!;
    const diff = Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]);
    if (diff < 60) continue;
    painted++;
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    if (max - min > 40) {
      // Coarse hue bucket (12 buckets) of saturated pixels: distinct topic colours land in distinct buckets.
      const h = max === r ? ((g - b) / (max - min) + 6) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
      hues.add(Math.floor(h * 2));
    }
  }
  return { painted, hues: hues.size };
}

/**
 * Screenshots only the map's own pixels: the panels floating over it are hidden meanwhile (through
 * the CSSOM: the app's Content-Security-Policy refuses injected <style> tags, as it should).
 */
export async function mapScreenshot(page: Page, target: 'map' | 'page' = 'map'): Promise<Buffer> {
  const overlays = '.panel, .topbar, .toolbar, .tooltip, .toast';
  await page.evaluate((selector) => document.querySelectorAll<HTMLElement>(selector).forEach((e) => e.style.setProperty('visibility', 'hidden', 'important')), overlays);
  try {
    return target === 'map' ? await page.locator('#map').screenshot() : await page.screenshot();
  } finally {
    await page.evaluate((selector) => document.querySelectorAll<HTMLElement>(selector).forEach((e) => e.style.removeProperty('visibility')), overlays);
  }
}

export interface AppSession {
  server: StaticServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * Serves the build, launches Chromium and opens the app in a fresh profile, waiting until the map is
 * drawn; `hideProgress` folds the pipeline panel to its one-line chip even if a note kept it open.
 */
export async function startApp(options: { mode?: BrowserMode; query?: string; context?: BrowserContextOptions; hideProgress?: boolean } = {}): Promise<AppSession> {
  const mode = options.mode ?? 'wasm';
  const server = await serveDist();
  const browser = await launchChromium(mode);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options.context })).newPage();
  await openApp(page, `${server.url}?${options.query ?? `device=${mode}`}`);
  if (options.hideProgress) await foldProgress(page);
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Waits for the build to finish, then folds the pipeline panel to its heading line (the app folds it
 * itself once a map is ready, unless a note is worth reading).
 */
export async function foldProgress(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => document.getElementById('progress')?.dataset.state === 'done', undefined, { timeout });
  if ((await page.locator('#progress').getAttribute('data-collapsed')) !== 'true') await page.locator('#progress .fold').click();
  await page.waitForFunction(() => document.getElementById('progress')?.dataset.collapsed === 'true');
}

/** Opens the maps panel if needed and picks a file through the page's own file chooser. */
export async function importFile(page: Page, path: string): Promise<void> {
  if (await page.locator('#maps').isHidden()) await page.locator('#summary').click();
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#maps button', { hasText: 'Import a file…' }).click();
  await (await chooser).setFiles(path);
}

const HOLD_PARAM = 'test-hold-result';

/**
 * Makes the next page load with `withHeldResult(url)` keep the pipeline worker's final result from
 * the page until `releaseResult(page)`, so a test can look at the map while it is still being computed
 * (on a fast machine a 336-paper layout can be done between two polls). With `previews`, the layouts
 * drawn while it is computed are held too, until `releasePreviews(page)`. Only the load that carries the
 * parameter holds: the script takes it out of the address before the app reads it, so reloads don't.
 */
export async function holdPipelineResult(page: Page, { previews = false } = {}): Promise<void> {
  await page.addInitScript(({ param, types }: { param: string; types: string[] }) => {
    const params = new URLSearchParams(location.search);
    if (!params.has(param)) return;
    params.delete(param);
    history.replaceState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}${location.hash}`);
    const held = new Map<string, (() => void)[]>(types.map((type) => [type, []]));
    (window as unknown as { releaseHeld: (type: string) => void }).releaseHeld = (type) => {
      for (const deliver of held.get(type)!.splice(0)) deliver();
      held.delete(type);
    };
    const addEventListener = Worker.prototype.addEventListener;
    Worker.prototype.addEventListener = function (this: Worker, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      if (type !== 'message' || typeof listener !== 'function') return addEventListener.call(this, type, listener, options);
      const wrapped = function (this: Worker, event: Event) {
        const data = (event as MessageEvent<{ type?: string }>).data;
        const holding = held.get(data?.type ?? '');
        if (holding) holding.push(() => listener.call(this, event));
        else listener.call(this, event);
      };
      return addEventListener.call(this, type, wrapped, options);
    } as typeof Worker.prototype.addEventListener;
  }, { param: HOLD_PARAM, types: previews ? ['result', 'layout-preview'] : ['result'] });
}

export function withHeldResult(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${HOLD_PARAM}`;
}

export async function releaseResult(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { releaseHeld: (type: string) => void }).releaseHeld('result'));
}

export async function releasePreviews(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { releaseHeld: (type: string) => void }).releaseHeld('layout-preview'));
}
