/**
 * Parquet and Arrow in and out, in Chromium: files written by pyarrow (test/fixtures/columnar) import
 * through the file picker and ?corpus=, a damaged one is refused with a sentence, and the map and a
 * selection export as Parquet that another reader (hyparquet, not the writer) reads back whole.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { mulberry32 } from '../../src/math/random';
import { importFile, launchChromium, openApp, serveDist, type StaticServer } from './harness';

const FIXTURES = new URL('../fixtures/columnar/', import.meta.url).pathname;
const DIST = new URL('../../dist/', import.meta.url).pathname;
const state = (page: Page) => page.evaluate(() => window.papermap.state());

/** A downloaded Parquet file, read back by hyparquet: its column names and rows. */
async function readDownload(page: Page, click: () => Promise<void>): Promise<{ name: string; columns: string[]; rows: Record<string, unknown>[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const bytes = await readFile((await download.path())!);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const columns = parquetSchema(parquetMetadata(buffer)).children.map((c) => c.element.name);
  return { name: download.suggestedFilename(), columns, rows: await parquetReadObjects({ file: buffer }) };
}

describe('Parquet and Arrow', () => {
  let browser: Browser;
  let server: StaticServer;
  let deploy: string;
  let page: Page;
  beforeAll(async () => {
    deploy = await mkdtemp(join(tmpdir(), 'papermap-columnar-'));
    await cp(DIST, deploy, { recursive: true });
    await cp(join(FIXTURES, 'papers.feather'), join(deploy, 'data/papers.feather'));
    browser = await launchChromium('wasm');
    server = await serveDist({ root: deploy });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
    await openApp(page, `${server.url}?device=wasm`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(deploy, { recursive: true, force: true });
  });

  it('imports a Parquet file (zstd, row groups, dictionary text, nulls, list<float> vectors) through the file picker', async () => {
    await importFile(page, join(FIXTURES, 'papers-zstd.parquet'));
    await expect.poll(() => page.locator('#maps .mapping').isVisible()).toBe(true);
    expect(await page.locator('#maps .import .file').textContent()).toBe('papers-zstd.parquet — PARQUET, 12 rows, 8 columns');
    expect(await page.locator('#maps select[data-field="vector"]').inputValue()).toBe('embedding');
    expect(await page.locator('#maps select[data-field="date"]').inputValue()).toBe('published');
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await expect.poll(async () => (await state(page)).papers, { timeout: 60_000 }).toBe(12);
    expect(await page.locator('#summary').textContent()).toContain('vectors from the file (8-d)');
    expect((await state(page)).ran).not.toContain('embed');
  });

  it('exports the map and a selection as Parquet that another reader reads back whole', async () => {
    await page.locator('#summary').click();
    const map = await readDownload(page, () => page.locator('#maps button', { hasText: 'Export map as Parquet' }).click());
    expect(map.name).toBe('papermap-papers-zstd.parquet');
    expect(map.columns).toEqual(['id', 'title', 'abstract', 'date', 'year', 'authors', 'organization', 'upvotes', 'label', 'url', 'x', 'y', 'topic_0', 'topic_0_name', 'topic_1', 'topic_1_name', 'topic_2', 'topic_2_name', 'embedding']);
    const points = await page.evaluate(() => window.papermap.points());
    expect(map.rows.map((r) => r.id)).toEqual(points.map((p) => p.id));
    expect(map.rows.map((r) => [r.x, r.y])).toEqual(points.map((p) => [p.x, p.y]));
    expect(map.rows[0]!.date).toBe('2023-01-02');
    expect((map.rows[0]!.embedding as number[]).length).toBe(8);
    const topics = (await state(page)).topics;
    for (const row of map.rows) if (row.topic_1 !== null) expect(row.topic_1_name).toBe(topics.find((t) => t.level === 1 && t.id === row.topic_1)!.label);
    await page.locator('#maps .close').click();

    const ids = points.slice(0, 5).map((p) => p.id);
    await page.evaluate((chosen) => window.papermap.select(chosen), ids);
    const selection = await readDownload(page, () => page.locator('#selection .actions button', { hasText: 'Parquet' }).click());
    expect(selection.name).toBe('papermap-selection-5.parquet');
    expect(selection.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    await page.evaluate(() => window.papermap.select([]));
  });

  it('opens an Arrow IPC file (Feather v2, zstd, fixed-size-list vectors, x/y) from ?corpus=', async () => {
    await page.goto(`${server.url}?device=wasm&corpus=data/papers.feather`);
    await page.evaluate(() => window.papermap.ready);
    const s = await state(page);
    expect([s.papers, s.corpus.name, s.device]).toEqual([12, 'papers.feather', null]);
    expect(s.ran).not.toContain('layout');
  });

  it('reads a Parquet file from ?corpus= a row group at a time when the host serves byte ranges', async () => {
    // 6,000 papers × 64-d with their own x/y (no layout), in row groups of 500: about 1.7 MB.
    const n = 6000, dims = 64;
    const random = mulberry32(9);
    const vectors = Array.from({ length: n }, () => Array.from({ length: dims }, () => random() - 0.5));
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Array.from({ length: n }, (_, i) => `p${i}`) },
        { name: 'title', data: Array.from({ length: n }, (_, i) => `Paper ${i} on topic ${i % 12}`) },
        { name: 'abstract', data: Array.from({ length: n }, (_, i) => `An abstract about topic ${i % 12}, written for paper ${i}.`) },
        { name: 'x', data: vectors.map((v) => v[0]! * 10) },
        { name: 'y', data: vectors.map((v) => v[1]! * 10) },
        { name: 'embedding', data: vectors },
      ],
      schema: [
        { name: 'root', num_children: 6 },
        { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'title', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'abstract', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'x', type: 'DOUBLE', repetition_type: 'REQUIRED' },
        { name: 'y', type: 'DOUBLE', repetition_type: 'REQUIRED' },
        { name: 'embedding', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
      ],
      rowGroupSize: 500,
    });
    await writeFile(join(deploy, 'data/groups.parquet'), new Uint8Array(bytes));
    const ranged = await serveDist({ root: deploy, ranges: true });
    try {
      await page.goto(`${ranged.url}?device=wasm&corpus=data/groups.parquet`);
      await page.evaluate(() => window.papermap.ready);
      const s = await state(page);
      expect([s.papers, s.corpus.name]).toEqual([n, 'groups.parquet']);
      const parts = ranged.served.filter((r) => r.path.endsWith('/groups.parquet') && r.range !== null);
      // The footer (with the file's last 512 KB), then the row groups before it, each by its own range.
      expect(parts.length).toBeGreaterThan(4);
      expect(parts.every((r) => r.status === 206)).toBe(true);
      const largest = Math.max(...parts.map((r) => { const [from, to] = r.range!.slice(6).split('-').map(Number); return to! - from! + 1; }));
      expect(largest).toBeLessThanOrEqual(512 * 1024);
    } finally {
      await ranged.close();
    }
  });

  it('refuses a damaged Parquet file with a sentence, and keeps the map', async () => {
    const before = (await state(page)).corpusHash;
    const cut = join(deploy, 'cut.parquet');
    const bytes = await readFile(join(FIXTURES, 'papers-zstd.parquet'));
    await writeFile(cut, bytes.subarray(0, bytes.length - 400));
    await importFile(page, cut);
    await expect.poll(() => page.locator('#maps .import .problem').textContent()).toMatch(/^The Parquet file could not be read \(.+\): it may be cut short or damaged; save or download it again\.$/);
    expect((await state(page)).corpusHash).toBe(before);
  });
});
