/**
 * The user's own corpus in Chromium: importing CSV, JSONL and JSON files through the maps panel
 * (pick or drop), mapping columns, building their maps, reopening and deleting them, ?corpus=<url>,
 * and a clear message for every bad input with the earlier maps and saved selections untouched.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { foldProgress, importFile, launchChromium, mapScreenshot, openApp, pageBackground, serveDist, waitReady, type StaticServer } from './harness';

const FIXTURES = new URL('../fixtures/import/', import.meta.url).pathname;
const DIST = new URL('../../dist/', import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);

const state = (page: Page) => page.evaluate(() => window.papermap.state());

/** How far the pixel at the centre of each point is from the page background (median over the points): low when the map is dimmed. */
async function pointInk(page: Page): Promise<number> {
  const centres = await page.evaluate(() => window.papermap.points().map((p) => window.papermap.screenPosition(p.id)!));
  const background = await pageBackground(page);
  const image = PNG.sync.read(await mapScreenshot(page, 'page'));
  const ink = centres.map(([x, y]) => {
    const at = 4 * (Math.round(y) * image.width + Math.round(x));
    return [0, 1, 2].reduce((sum, c) => sum + Math.abs(image.data[at + c]! - background[c]!), 0);
  });
  return ink.sort((a, b) => a - b)[Math.floor(ink.length / 2)]!;
}

/** Waits until a corpus other than `before` is on the map. */
async function mapChanged(page: Page, before: string | null): Promise<void> {
  await expect.poll(async () => (await state(page)).corpusHash !== before && (await state(page)).error === null, { timeout: 120_000 }).toBe(true);
  await waitReady(page);
}

/** What IndexedDB holds: map keys, corpora and saved selections (read with the raw API, not the app's code). */
function storedKeys(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('papermap');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const stores = ['maps', 'corpora', 'selections'];
          const tx = db.transaction(stores, 'readonly');
          const out: Record<string, string[]> = {};
          for (const name of stores) {
            const request = tx.objectStore(name).getAllKeys();
            request.onsuccess = () => (out[name] = request.result.map(String).sort());
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
        };
      }),
  );
}

describe('your own corpus', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  let root: string;
  let shippedHash: string;

  beforeAll(async () => {
    // A copy of the build that also serves corpus files by URL (same origin, as a deploy would).
    root = await mkdtemp(join(tmpdir(), 'papermap-import-'));
    await cp(DIST, root, { recursive: true });
    await cp(fixture('papers.jsonl'), join(root, 'data', 'papers.jsonl'));
    server = await serveDist({ root });
    browser = await launchChromium('wasm');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })).newPage();
    expect(await openApp(page, `${server.url}?device=wasm`)).toEqual([]);
    shippedHash = (await state(page)).corpusHash!;
    await foldProgress(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('imports a CSV with awkward quoting and unicode: columns are guessed, the map is built, text stays literal', async () => {
    const rows = Papa.parse<Record<string, string>>(await readFile(fixture('papers.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    await importFile(page, fixture('papers.csv'));
    await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
    expect(await page.locator('#maps .import .file').textContent()).toContain(`papers.csv — CSV, ${rows.length} rows`);
    expect(await page.locator('#maps select[data-field="title"]').inputValue()).toBe('title');
    expect(await page.locator('#maps select[data-field="text"]').inputValue()).toBe('abstract');
    expect(await page.locator('#maps select[data-field="label"]').inputValue()).toBe('category');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'import-dark.png') });
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await mapChanged(page, shippedHash);

    const s = await state(page);
    expect(s.papers).toBe(rows.length);
    expect(s.corpus.name).toBe('papers.csv');
    expect(s.corpus.param).toBe(`local:${s.corpusHash}`);
    expect(s.ran).toContain('embed');
    expect(new URL(page.url()).searchParams.get('corpus')).toBe(`local:${s.corpusHash}`);
    expect(await page.locator('#summary').textContent()).toContain(`${rows.length} papers`);

    // Every id from the file is on the map; awkward titles show exactly as written, and no markup ran.
    const ids = await page.evaluate(() => window.papermap.points().map((p) => p.id));
    expect(ids.sort()).toEqual(rows.map((r) => r.id!).sort());
    await page.evaluate(() => ((window as unknown as { pwned: boolean }).pwned = false));
    for (const row of rows.filter((r) => /["<]|[^\x00-\x7f]/.test(r.title!))) {
      await page.evaluate((id) => window.papermap.open(id), row.id!);
      expect(await page.locator('#details h2').textContent()).toBe(row.title);
    }
    expect(await page.locator('#details img, #details script').count()).toBe(0);
    await page.keyboard.press('Escape');

    // The file's label column colours the map.
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.category!, (counts.get(r.category!) ?? 0) + 1);
    await page.locator('#legend select').selectOption('label');
    const legend = await page.locator('#legend .topic .label').allTextContents();
    expect(legend).toEqual([...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b)));
    await page.locator('#legend select').selectOption('topic');
  });

  it('imports JSONL with other column names', async () => {
    const before = (await state(page)).corpusHash;
    const lines = (await readFile(fixture('papers.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    await importFile(page, fixture('papers.jsonl'));
    await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
    expect(await page.locator('#maps select[data-field="title"]').inputValue()).toBe('name');
    expect(await page.locator('#maps select[data-field="text"]').inputValue()).toBe('summary');
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await mapChanged(page, before);
    expect((await state(page)).papers).toBe(lines.length);
  });

  it('a file with its own vectors and positions needs no model and no layout; search by meaning says why it is off', async () => {
    const before = (await state(page)).corpusHash;
    const records = JSON.parse(await readFile(fixture('papers-vectors.json'), 'utf8')) as { id: string; x: number; y: number }[];
    await importFile(page, fixture('papers-vectors.json'));
    await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await mapChanged(page, before);
    const s = await state(page);
    expect(s.papers).toBe(records.length);
    expect(s.ran).not.toContain('embed');
    expect(s.ran).not.toContain('layout');
    expect(s.device).toBeNull();
    // The file's layout, centred on 0 and scaled by one factor (map coordinates are normalised).
    const points = await page.evaluate(() => window.papermap.points());
    const at = (id: string) => points.find((q) => q.id === id)!;
    const [a, b] = [records[0]!, records[3]!];
    const scale = (at(b.id).x - at(a.id).x) / (b.x - a.x);
    expect(scale).toBeGreaterThan(0);
    for (const r of records) {
      expect(at(r.id).x - at(a.id).x).toBeCloseTo(scale * (r.x - a.x), 3);
      expect(at(r.id).y - at(a.id).y).toBeCloseTo(scale * (r.y - a.y), 3);
    }
    // Build map gave the map back: the panel closed.
    expect(await page.locator('#maps').isHidden()).toBe(true);
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('speech');
    await expect.poll(async () => (await state(page)).search?.message ?? '').toMatch(/vectors came with papers-vectors\.json/);
    await page.locator('#search input').press('Escape');
    await page.locator('#search .mode[data-mode="keyword"]').click();
  });

  it('a file with only positions opens as laid out without running the model; neighbours are the nearest on the map', async () => {
    const before = (await state(page)).corpusHash;
    const records = JSON.parse(await readFile(fixture('papers-vectors.json'), 'utf8')) as { id: string; title: string; abstract: string; x: number; y: number }[];
    const path = join(root, 'positions.csv');
    await writeFile(path, Papa.unparse(records.map(({ id, title, abstract, x, y }) => ({ id, title, abstract, x, y }))));
    await importFile(page, path);
    await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
    // The form says what the chosen columns mean before anything runs, and again when they change.
    const plan = page.locator('#maps .plan');
    expect(await plan.textContent()).toMatch(/positions are the map: no model runs/);
    await page.locator('#maps select[data-field="x"]').selectOption('');
    expect(await plan.textContent()).toMatch(/embedded with the current model and laid out here/);
    await page.locator('#maps select[data-field="x"]').selectOption('x');
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await mapChanged(page, before);
    const s = await state(page);
    expect(s.papers).toBe(records.length);
    // Only the topics were computed: no model, no embedding, no neighbour search, no layout.
    expect(s.ran).toEqual(['topics']);
    expect(s.device).toBeNull();
    expect(await page.locator('#summary').textContent()).toContain('positions from the file');
    expect(await page.locator('#progress').textContent()).toContain('Positions from the file: no model runs');
    expect(await page.locator('#progress li[data-stage="embed"]').getAttribute('data-status')).toBe('skipped');
    expect(await page.locator('#progress li[data-stage="embed"]').textContent()).toContain('not needed');
    expect(await page.locator('#progress li[data-stage="layout"]').textContent()).toContain('from the file');
    if (await page.locator('#maps').isVisible()) await page.locator('#maps .close').click();

    // A paper's neighbours are the papers nearest to it on the map, without a similarity score.
    const points = await page.evaluate(() => window.papermap.points());
    const [first, ...others] = points;
    const nearest = others.sort((a, b) => Math.hypot(a.x - first!.x, a.y - first!.y) - Math.hypot(b.x - first!.x, b.y - first!.y));
    expect(await page.evaluate((id) => window.papermap.open(id), first!.id)).toBe(true);
    const details = page.locator('#details');
    await expect.poll(() => details.locator('.neighbours h3').textContent()).toBe('Nearest on the map');
    const titleOf = (id: string) => records.find((r) => r.id === id)!.title;
    expect(await details.locator('.neighbour .title').allTextContents()).toEqual(nearest.slice(0, 5).map((p) => titleOf(p.id)));
    expect(await details.locator('.neighbour .score').count()).toBe(0);
    await page.keyboard.press('Escape');

    // Search by meaning cannot run here: it says why and leaves the map as it was (not dimmed to no hits),
    // unlike a search by words that finds nothing.
    const painted = () => pointInk(page);
    const undimmed = await painted();
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('speech');
    await expect.poll(async () => (await state(page)).search?.message ?? '').toMatch(/positions came with positions\.csv, so its papers were not embedded/);
    expect((await state(page)).search?.compared).toBe(false);
    expect(await painted()).toBeGreaterThan(0.9 * undimmed);
    await page.locator('#search .mode[data-mode="keyword"]').click();
    await page.locator('#search input').fill('zzzznothing');
    await expect.poll(async () => (await state(page)).search?.message ?? '').toMatch(/No paper contains/);
    expect((await state(page)).search?.compared).toBe(true);
    await expect.poll(painted).toBeLessThan(0.5 * undimmed);
    await page.locator('#search input').press('Escape');

    // The map is kept: a reload opens it from IndexedDB.
    await page.reload();
    await waitReady(page);
    expect((await state(page)).cached).toBe(true);
    expect((await state(page)).corpusHash).toBe(s.corpusHash);

    // On request the texts are embedded too: the positions stay, search by meaning and neighbours by meaning work.
    await page.locator('#summary').click();
    await page.locator('#maps .embed-positions button', { hasText: 'Embed the texts' }).click();
    await expect.poll(async () => (await state(page)).ran, { timeout: 120_000 }).toEqual(['model', 'embed', 'topics']);
    await waitReady(page);
    expect(await page.evaluate(() => window.papermap.points())).toEqual(points);
    expect(new URL(page.url()).searchParams.get('embed')).toBe('1');
    // The panel closed for the build, and now offers the models to embed with.
    expect(await page.locator('#maps').isHidden()).toBe(true);
    await page.locator('#summary').click();
    await expect.poll(() => page.locator('#maps select[aria-label="Model"]').isVisible()).toBe(true);
    await page.locator('#maps .close').click();
    // Back is the map without vectors again, Forward the embedded one (both from the cache).
    await page.goBack();
    await expect.poll(() => page.locator('#summary').textContent(), { timeout: 60_000 }).toContain('positions from the file');
    await waitReady(page);
    expect((await state(page)).cached).toBe(true);
    await page.goForward();
    await expect.poll(() => page.locator('#summary').textContent(), { timeout: 60_000 }).toContain(`${DEFAULT_MODEL_ID} · file positions`);
    await waitReady(page);
    expect((await state(page)).cached).toBe(true);
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('speech recognition');
    await expect.poll(async () => (await state(page)).search?.compared ?? false, { timeout: 60_000 }).toBe(true);
    expect((await state(page)).search!.hits.length).toBeGreaterThan(0);
    await page.locator('#search input').press('Escape');
    await page.locator('#search .mode[data-mode="keyword"]').click();
    await page.evaluate((id) => window.papermap.open(id), first!.id);
    await expect.poll(() => details.locator('.neighbours h3').textContent()).toBe('Nearest papers');
    await page.keyboard.press('Escape');
    // The choice is in the address: a reload opens the embedded map from the cache.
    await page.reload();
    await waitReady(page);
    expect((await state(page)).cached).toBe(true);
    expect(await page.locator('#summary').textContent()).toContain(`${DEFAULT_MODEL_ID} · file positions`);
  });

  it('lists imported corpora, reopens one from IndexedDB after a reload, and deletes one with its maps', async () => {
    await page.locator('#summary').click();
    // The list is read from IndexedDB when the panel opens.
    await expect.poll(() => page.locator('#maps .corpora .name').allTextContents()).toEqual(['Shipped corpus', 'positions.csv', 'papers-vectors.json', 'papers.jsonl', 'papers.csv']);
    const jsonl = page.locator('#maps .corpora li', { hasText: 'papers.jsonl' });
    const before = (await state(page)).corpusHash;
    await jsonl.locator('.corpus').click();
    await mapChanged(page, before);
    const jsonlHash = (await state(page)).corpusHash;
    expect((await state(page)).cached).toBe(true);

    await page.reload();
    await waitReady(page);
    expect((await state(page)).corpusHash).toBe(jsonlHash);
    expect((await state(page)).cached).toBe(true);

    await page.locator('#summary').click();
    const csv = page.locator('#maps .corpora li', { hasText: 'papers.csv' });
    const csvHash = await csv.locator('.corpus').getAttribute('data-hash');
    await csv.locator('button', { hasText: 'Delete' }).click();
    await csv.locator('button', { hasText: 'Confirm delete' }).click();
    await expect.poll(() => page.locator('#maps .corpora .name').allTextContents()).toEqual(['Shipped corpus', 'positions.csv', 'papers-vectors.json', 'papers.jsonl']);
    const stored = await storedKeys(page);
    expect(stored.corpora).not.toContain(csvHash);
    expect(stored.maps!.some((key) => key.includes(`|${csvHash}|`))).toBe(false);

    await page.locator('#maps .corpus[data-shipped]').click();
    await mapChanged(page, jsonlHash);
    expect((await state(page)).corpusHash).toBe(shippedHash);
    expect((await state(page)).cached).toBe(true);
    expect(new URL(page.url()).searchParams.has('corpus')).toBe(false);
  });

  it('corpora stored by the previous storage version (keyed by a key path) move to the current one intact: listed, and reopened from IndexedDB', async () => {
    const names = async () => {
      if (await page.locator('#maps').isHidden()) await page.locator('#summary').click();
      await expect.poll(() => page.locator('#maps .corpora .name').count()).toBeGreaterThan(1);
      return page.locator('#maps .corpora .name').allTextContents();
    };
    const listed = await names();
    const { corpora } = await storedKeys(page);
    // The database rewritten as version 3 left it: the same records, corpora under the key path 'hash'.
    const rewritten = await page.evaluate(async () => {
      const request = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
      const current = await request(indexedDB.open('papermap'));
      const tx = current.transaction(['maps', 'corpora', 'selections'], 'readonly');
      const [maps, corpora, selections] = await Promise.all(['maps', 'corpora', 'selections'].map((s) => request(tx.objectStore(s).getAll())));
      current.close();
      await request(indexedDB.deleteDatabase('papermap'));
      const open = indexedDB.open('papermap', 3);
      open.onupgradeneeded = () => {
        const db = open.result;
        const stores = [db.createObjectStore('maps', { keyPath: 'key' }), db.createObjectStore('corpora', { keyPath: 'hash' })];
        const kept = db.createObjectStore('selections', { keyPath: 'id' });
        kept.createIndex('byCorpus', 'corpusHash');
        for (const value of maps!) stores[0]!.put(value);
        for (const value of corpora!) stores[1]!.put(value);
        for (const value of selections!) kept.put(value);
      };
      const old = await request(open);
      const keyPath = old.transaction('corpora').objectStore('corpora').keyPath;
      old.close();
      return { keyPath, corpora: corpora!.length };
    });
    expect(rewritten).toEqual({ keyPath: 'hash', corpora: corpora!.length });

    await page.reload();
    await waitReady(page);
    expect(await names()).toEqual(listed);
    expect(await storedKeys(page)).toMatchObject({ corpora });
    const keyPath = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('papermap');
          open.onsuccess = () => (resolve(open.result.transaction('corpora').objectStore('corpora').keyPath), open.result.close());
        }),
    );
    expect(keyPath).toBeNull();
    const jsonl = page.locator('#maps .corpora li', { hasText: 'papers.jsonl' });
    const before = (await state(page)).corpusHash;
    await jsonl.locator('.corpus').click();
    await mapChanged(page, before);
    expect((await state(page)).cached).toBe(true);
    await names();
    const jsonlHash = (await state(page)).corpusHash;
    await page.locator('#maps .corpus[data-shipped]').click();
    await mapChanged(page, jsonlHash);
    expect((await state(page)).corpusHash).toBe(shippedHash);
  });

  it('every bad input gets its own message; the map on screen, cached maps and saved selections are untouched', async () => {
    // A saved selection on the shipped map, to check nothing touches it.
    const someIds = (await page.evaluate(() => window.papermap.points().slice(0, 5).map((p) => p.id)));
    await page.evaluate((ids) => window.papermap.select(ids), someIds);
    await page.locator('#selection .save input').fill('before the bad files');
    await page.locator('#selection .save button').click();
    await expect.poll(async () => (await storedKeys(page)).selections!.length).toBe(1);
    const storedBefore = await storedKeys(page);

    const dir = await mkdtemp(join(tmpdir(), 'papermap-bad-'));
    const huge = join(dir, 'huge.csv');
    // 40 MB of valid CSV: 1,100,000 short papers, more than one map holds.
    const row = '"A paper on speech","An abstract about speech."\n';
    await writeFile(huge, 'title,abstract\n' + row.repeat(1_100_000));
    const utf16 = join(dir, 'utf16-no-bom.csv');
    await writeFile(utf16, Buffer.from('title,abstract\nA,B\n', 'utf16le'));
    const cases: [string, RegExp][] = [
      [fixture('empty.csv'), /empty/i],
      [fixture('latin1.csv'), /UTF-8/],
      [utf16, /UTF-16|binary/],
      [fixture('ragged.csv'), /Rows 4 and 6 have more fields than/],
      [fixture('duplicate-ids.jsonl'), /id "[^"]+".*(lines?|rows?) \d+/i],
      [fixture('bad-line.jsonl'), /[Ll]ine \d+/],
      [huge, /more than 1,000,000 papers/],
    ];
    try {
      for (const [path, message] of cases) {
        await importFile(page, path);
        const problem = async () => (await page.locator('#maps .import .problem').allTextContents()).join(' ');
        // Some problems show when the file is read, others (duplicate ids) when the map is built from it.
        await expect.poll(async () => (await problem()) !== '' || (await page.locator('#maps .mapping').isVisible()), { message: path, timeout: 60_000 }).toBe(true);
        if ((await problem()) === '') await page.locator('#maps button', { hasText: 'Build map' }).click();
        await expect.poll(problem, { message: path, timeout: 60_000 }).toMatch(message);
        expect((await state(page)).corpusHash).toBe(shippedHash);
      }

      // A file without a title column: the form says what is missing and the user can map it by hand.
      await importFile(page, fixture('no-title.csv'));
      await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
      await page.locator('#maps button', { hasText: 'Build map' }).click();
      await expect.poll(() => page.locator('#maps .import .problem').textContent()).toMatch(/title/i);
      expect(await page.locator('#maps .import .problem').textContent()).toContain('heading_text');
      await page.locator('#maps button', { hasText: 'Cancel' }).click();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect((await state(page)).papers).toBe(336);
    expect((await state(page)).selected.sort()).toEqual([...someIds].sort());
    expect(await storedKeys(page)).toEqual(storedBefore);
  });

  it('a file dropped on the map opens the import form', async () => {
    const text = await readFile(fixture('papers.csv'), 'utf8');
    if (await page.locator('#maps').isVisible()) await page.locator('#maps .close').click();
    await page.evaluate((csv) => {
      const data = new DataTransfer();
      data.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
      document.getElementById('map')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await expect.poll(() => page.locator('#maps .import .file').textContent()).toMatch(/^dropped\.csv — CSV, 12 rows/);
    await page.locator('#maps button', { hasText: 'Cancel' }).click();
    expect(await page.locator('#maps .import').textContent()).toBe('');
  });

  it('a 50,000-character abstract is shortened with a warning, and the map is built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'papermap-long-'));
    const path = join(dir, 'long.jsonl');
    const papers = ['speech recognition', 'graph neural networks', 'diffusion models', 'keyword spotting', 'image generation'].map((topic, i) => ({
      title: `A study of ${topic}`,
      abstract: i === 0 ? `We study ${topic}. `.repeat(2_500).slice(0, 50_000) : `We study ${topic} at scale.`,
    }));
    await writeFile(path, papers.map((p) => JSON.stringify(p)).join('\n'));
    try {
      const before = (await state(page)).corpusHash;
      await importFile(page, path);
      await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
      await page.locator('#maps button', { hasText: 'Build map' }).click();
      await mapChanged(page, before);
      expect((await state(page)).papers).toBe(5);
      // The import's warnings join the panel once the map is saved, after it is drawn.
      await expect.poll(() => page.locator('#progress').textContent()).toMatch(/shortened|cut|characters/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('?corpus=<url> loads a corpus file from a URL; a URL that fails says so and shows the shipped corpus', async () => {
    const other = await (await browser.newContext()).newPage();
    await openApp(other, `${server.url}?device=wasm&corpus=data/papers.jsonl`);
    const s = await state(other);
    expect(s.corpus).toEqual({ name: 'papers.jsonl', param: 'data/papers.jsonl' });
    expect(s.papers).toBe(9);

    await openApp(other, `${server.url}?device=wasm&corpus=data/missing.csv`);
    expect((await state(other)).corpusHash).toBe(shippedHash);
    expect(await other.locator('#progress').textContent()).toMatch(/data\/missing\.csv is not a corpus file \(the server answered HTTP 404 Not Found\)/);
    await other.context().close();
  });

  it('?corpus=<url> that IndexedDB will not keep (storage full): the map is still built, and the panel says the corpus is not kept', async () => {
    const context = await browser.newContext();
    // Refuses the corpus's write as a full disk would (the maps store still works), and records that it was asked.
    await context.addInitScript(() => {
      const log: string[] = [];
      (window as unknown as { keepLog: string[] }).keepLog = log;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name !== 'corpora') return put.apply(this, args);
        log.push('corpus write');
        throw new DOMException('simulated: the disk is full', 'QuotaExceededError');
      };
    });
    const other = await context.newPage();
    expect(await openApp(other, `${server.url}?device=wasm&corpus=data/papers.jsonl`)).toEqual([]);
    const s = await state(other);
    expect(s.papers).toBe(9);
    expect(s.error).toBeNull();
    expect(await other.locator('#progress').textContent()).toMatch(/papers\.jsonl is not kept in this browser \(browser storage is full\): it is fetched again on the next visit, and will not open offline/);
    const log = await other.evaluate(() => (window as unknown as { keepLog: string[] }).keepLog);
    expect(log).toContain('corpus write');
    // Nothing half-written was left in the corpora store; the map was stored.
    const stored = await storedKeys(other);
    expect(stored.corpora).toEqual([]);
    expect(stored.maps).toHaveLength(1);
    // The map itself was saved: the next visit opens it from the cache (the corpus is fetched again).
    await other.reload();
    await waitReady(other);
    expect((await state(other)).cached).toBe(true);
    await context.close();
  });
});
