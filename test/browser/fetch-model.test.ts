/**
 * End to end: `npm run fetch-model` against a local fake hub produces a model folder that the app then
 * loads offline. The model is fetched into a copy of dist/ (a deploy), the hub is shut down, and the
 * copy is served alone to a browser that may reach nothing but that server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fetchModel, type FetchModelResult } from '../../scripts/lib/fetch-model';
import { startFakeHub } from '../support/fake-hub';
import { launchChromium, openApp, serveDist, type StaticServer } from './harness';

const root = new URL('../../', import.meta.url).pathname;
const DIST = join(root, 'dist');
const ID = 'fakehub/wordvec-copy';

describe('a model fetched with npm run fetch-model', () => {
  let deploy: string;
  let fetched: FetchModelResult;
  let hubRequests: string[];
  let hubUrl: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run npm run build first');
    deploy = mkdtempSync(join(tmpdir(), 'papermap-fetched-'));
    await cp(DIST, deploy, { recursive: true });

    const hub = await startFakeHub({ [ID]: join(root, `public/models/${DEFAULT_MODEL_ID}`) });
    hubUrl = hub.url;
    hubRequests = hub.requests;
    try {
      fetched = await fetchModel({ id: ID, endpoint: hub.url, revision: 'main', dtype: 'fp32', out: join(deploy, 'models'), force: false });
    } finally {
      await hub.close();
    }
    server = await serveDist({ root: deploy });
    browser = await launchChromium('wasm');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (deploy) rmSync(deploy, { recursive: true, force: true });
  });

  it('is loaded by the app offline, from the deploy alone, after the hub is gone', async () => {
    expect(fetched.dir).toBe(join(deploy, 'models', ID));
    expect(fetched.files.map((f) => f.path).sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(hubRequests).toContain(`/cdn/${ID}/blob/main/onnx/model.onnx`);
    // The hub is stopped: nothing can come from it any more.
    await expect(fetch(`${hubUrl}/${ID}/resolve/main/config.json`)).rejects.toThrow();

    // Offline except for the deploy's own server: any other request is aborted, and recorded.
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    const requests: string[] = [];
    const failed: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    context.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    await context.route(
      (url) => url.origin !== origin,
      (route) => route.abort('internetdisconnected'),
    );
    const page = await context.newPage();
    const errors = await openApp(page, `${server.url}?model=${ID}&device=wasm`);

    const state = await page.evaluate(() => window.papermap.state());
    const corpus = JSON.parse(readFileSync(join(deploy, 'corpus/corpus.json'), 'utf8')) as { papers: unknown[] };
    expect(state.error).toBeNull();
    expect(state.model).toBe(ID);
    expect(state.papers).toBe(corpus.papers.length);
    expect(state.ran).toEqual(expect.arrayContaining(['model', 'embed', 'layout']));
    expect(await page.locator('#summary').textContent()).toContain(ID);
    expect(errors).toEqual([]);

    // The model's files came from the deploy; nothing went anywhere else, and nothing was missing.
    const network = requests.filter((url) => /^https?:/.test(url));
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) expect(network).toContain(`${origin}/models/${ID}/${file}`);
    expect(network.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });
});
