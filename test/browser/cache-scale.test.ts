/**
 * The map cache at scale in headless Chromium: a 100,000-paper map (vectors 100k × 384) written through
 * the app's own MapCache into the real IndexedDB, read back after a reload, equal to what was written
 * (vectors within the int8 step) and taking about the bytes the int8 format predicts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist, type StaticServer } from './harness';
import { buildCacheProbe } from './cache-probe/build';
import { packedBytes } from '../../src/cache/map-format';
import type { ProbeMap } from './cache-probe/page';

const MAP: ProbeMap = { n: 100_000, dims: 384, key: 'scale-test' };

describe('a 100,000-paper map in the real IndexedDB', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = await buildCacheProbe(mkdtempSync(join(tmpdir(), 'papermap-probe-')));
    server = await serveDist({ root: dir });
    browser = await launchChromium('wasm');
    page = await (await browser.newContext()).newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.cacheProbe !== undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is stored in about the int8 format\'s bytes, not float32\'s', async () => {
    const written = await page.evaluate((map) => window.cacheProbe.write(map), MAP);
    expect(written).toMatchObject({ stored: true, reason: null });
    const predicted = packedBytes(MAP.n, MAP.dims); // 40.8 MB; the same map as float32 arrays is 155.6 MB
    // The record as IndexedDB returns it, not the browser's storage accounting (which may compress).
    expect(written.recordBytes).toBeGreaterThan(predicted);
    expect(written.recordBytes).toBeLessThan(1.05 * predicted);
    const used = written.usageAfter - written.usageBefore;
    // Whatever the accounting does, it must not charge more than the float32 arrays would take.
    expect(used).toBeLessThan(1.1 * 4 * MAP.n * (MAP.dims + 2 + 3 + 1));
    console.log(`100k × 384: record ${written.recordBytes} bytes (${(written.recordBytes / MAP.n).toFixed(0)} a paper); storage estimate grew ${used} bytes; written in ${written.writeMs.toFixed(0)} ms`);
  });

  it('reopens after a reload with the same coordinates and topics, and vectors within the int8 step', async () => {
    await page.reload();
    await page.waitForFunction(() => window.cacheProbe !== undefined);
    const read = await page.evaluate((map) => window.cacheProbe.read(map), MAP);
    expect(read).toMatchObject({ hit: true, reason: null, coordsEqual: true, topicsEqual: true, termsEqual: true });
    // Unit rows of 384 components: the largest is well under 0.5, so half an int8 step is under 0.5 / 127.
    expect(read.maxComponentError).toBeGreaterThan(0);
    expect(read.maxComponentError).toBeLessThan(0.5 / 127);
    expect(read.loss.meanAbsCosError).toBeLessThan(0.001);
    expect(read.loss.topKAgreement).toBeGreaterThanOrEqual(0.95);
    console.log(`100k × 384: read and dequantised in ${read.readMs.toFixed(0)} ms; loss on 20 rows ${JSON.stringify(read.loss)}`);
  });
});
