/**
 * npm run fetch-model against a local fake hub (test/support/fake-hub.ts) serving the embedded
 * model's files under other ids: files arrive byte-identical through the hub's redirects, failures
 * leave nothing behind, existing models are kept unless --force, and the CLI honours HF_ENDPOINT.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, FetchModelError, fetchModel, formatBytes, hubFileUrl, notOnnx, parseFetchArgs, type FetchModelOptions } from '../../scripts/lib/fetch-model';
import { startFakeHub, type FakeHub } from '../support/fake-hub';
import { DEFAULT_MODEL_ID } from '../../src/model/models';

const root = new URL('../../', import.meta.url).pathname;
const EMBEDDED = join(root, 'public/models', DEFAULT_MODEL_ID);
const ID = 'fakehub/embedded-copy';
/** How fetch-model prints the size of one of the embedded model's files, as a pattern. */
const printedSize = (path: string) => formatBytes(statSync(join(EMBEDDED, path)).size).replace('.', '\\.');

/** Every file under a folder, as relative paths, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('fetch-model', () => {
  let fixtures: string;
  let hub: FakeHub;
  let out: string;

  beforeAll(async () => {
    fixtures = mkdtempSync(join(tmpdir(), 'papermap-fakehub-'));
    const variant = (name: string, change: (dir: string) => void) => {
      const dir = join(fixtures, name);
      cpSync(EMBEDDED, dir, { recursive: true });
      change(dir);
      return dir;
    };
    hub = await startFakeHub({
      [ID]: EMBEDDED,
      'fakehub/no-tokenizer': variant('no-tokenizer', (d) => rmSync(join(d, 'tokenizer.json'))),
      'fakehub/quantized': variant('quantized', (d) => cpSync(join(d, 'onnx/model.onnx'), join(d, 'onnx/model_quantized.onnx'))),
      'fakehub/external-data': variant('external-data', (d) => {
        writeFileSync(join(d, 'onnx/model.onnx_data'), Buffer.from('external weights'));
        writeFileSync(join(d, 'special_tokens_map.json'), JSON.stringify({ cls_token: '[CLS]' }));
      }),
      'fakehub/html-weights': variant('html-weights', (d) => writeFileSync(join(d, 'onnx/model.onnx'), '<!doctype html><title>Sign in</title>')),
      'fakehub/no-model-type': variant('no-model-type', (d) => writeFileSync(join(d, 'config.json'), '{"hidden_size": 64}')),
    });
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(fixtures, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'papermap-models-'));
    hub.requests.length = 0;
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const options = (id: string, more: Partial<FetchModelOptions> = {}): FetchModelOptions => ({
    id,
    endpoint: hub.url,
    revision: 'main',
    dtype: 'fp32',
    out,
    force: false,
    ...more,
  });

  it('downloads a model byte for byte, following the redirect of its weights, and says how to use it', async () => {
    const lines: string[] = [];
    const result = await fetchModel(options(ID, { log: (l) => lines.push(l) }));
    const dest = join(out, 'fakehub/embedded-copy');
    expect(result.dir).toBe(dest);
    expect(listFiles(dest)).toEqual(listFiles(EMBEDDED));
    for (const file of listFiles(EMBEDDED)) expect(readFileSync(join(dest, file)).equals(readFileSync(join(EMBEDDED, file))), file).toBe(true);
    expect(result.files.map((f) => f.path).sort()).toEqual(listFiles(EMBEDDED));
    expect(result.total).toBe(result.files.reduce((s, f) => s + f.bytes, 0));
    // Only the model folder: no temporary folder left next to it.
    expect(readdirSync(join(out, 'fakehub'))).toEqual(['embedded-copy']);

    expect(hub.requests).toContain(`/${ID}/resolve/main/config.json`);
    expect(hub.requests).toContain(`/${ID}/resolve/main/special_tokens_map.json`); // optional: 404, skipped
    const onnx = hub.requests.indexOf(`/${ID}/resolve/main/onnx/model.onnx`);
    expect(hub.requests[onnx + 1]).toBe(`/cdn/${ID}/blob/main/onnx/model.onnx`);

    const text = lines.join('\n');
    expect(text).toMatch(new RegExp(`onnx/model\\.onnx\\s+${printedSize('onnx/model.onnx')}`));
    expect(text).toMatch(new RegExp(`tokenizer\\.json\\s+${printedSize('tokenizer.json')}`));
    expect(text).toMatch(/4 files, [\d.]+ MB in total/);
    expect(text).toContain(`?model=${ID}`);
  });

  it('maps --dtype to transformers.js file names (q8 → onnx/model_quantized.onnx)', async () => {
    const result = await fetchModel(options('fakehub/quantized', { dtype: 'q8' }));
    expect(listFiles(result.dir)).toEqual(['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(hub.requests).toContain('/cdn/fakehub/quantized/blob/main/onnx/model_quantized.onnx');
    await expect(fetchModel(options(ID, { dtype: 'fp16' }))).rejects.toThrow(/onnx\/model_fp16\.onnx is missing: .*answered 404\. .*no ONNX weights for --dtype fp16.*q8: model_quantized\.onnx/);
  });

  it('fetches special_tokens_map.json and external data when the hub has them', async () => {
    const result = await fetchModel(options('fakehub/external-data'));
    expect(result.files.map((f) => f.path)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx', 'onnx/model.onnx_data']);
    expect(readFileSync(join(result.dir, 'onnx/model.onnx_data'), 'utf8')).toBe('external weights');
    expect(hub.requests).toContain('/cdn/fakehub/external-data/blob/main/onnx/model.onnx_data');
  });

  it('names the missing file and its URL, and leaves no folder behind', async () => {
    const error = await fetchModel(options('fakehub/no-tokenizer')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchModelError);
    expect((error as Error).message).toBe(
      `tokenizer.json is missing: ${hub.url}/fakehub/no-tokenizer/resolve/main/tokenizer.json answered 404. ` +
        '"fakehub/no-tokenizer" has no tokenizer.json, which transformers.js needs: it is not a model in transformers.js layout (look for a converted copy, e.g. under Xenova/ or onnx-community/).',
    );
    expect(readdirSync(out)).toEqual([]);

    await expect(fetchModel(options('nobody/nothing'))).rejects.toThrow(/config\.json is missing: .*nobody\/nothing\/resolve\/main\/config\.json answered 404\. There is no model "nobody\/nothing" at revision "main"/);
    await expect(fetchModel(options(ID, { revision: 'v9' }))).rejects.toThrow(/at revision "v9"/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('checks what arrived: broken-off downloads, HTML instead of weights, a config without model_type', async () => {
    const broken = await startFakeHub({ 'fakehub/broken-link': EMBEDDED }, { breakOff: ['onnx/model.onnx'] });
    try {
      await expect(fetchModel(options('fakehub/broken-link', { endpoint: broken.url }))).rejects.toThrow(/download of onnx\/model\.onnx .*nothing was installed/);
    } finally {
      await broken.close();
    }
    await expect(fetchModel(options('fakehub/html-weights'))).rejects.toThrow('onnx/model.onnx is not an ONNX model: it is an HTML or XML page, not a model');
    await expect(fetchModel(options('fakehub/no-model-type'))).rejects.toThrow(/config\.json of "fakehub\/no-model-type" has no model_type/);
    expect(readdirSync(out)).toEqual([]);
    expect(notOnnx(readFileSync(join(EMBEDDED, 'onnx/model.onnx')).subarray(0, 16))).toBeNull();
    expect(notOnnx(Buffer.from('version https://git-lfs.github.com/spec/v1\n'))).toMatch(/Git LFS pointer/);
  });

  it('keeps an existing model unless --force, and replaces it whole with --force', async () => {
    const dest = join(out, ID);
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'mine.txt'), 'keep me');
    await expect(fetchModel(options(ID))).rejects.toThrow(`${dest} already exists: pass --force to replace it`);
    expect(listFiles(dest)).toEqual(['mine.txt']);
    expect(hub.requests).toEqual([]);

    await fetchModel(options(ID, { force: true }));
    expect(listFiles(dest)).toEqual(listFiles(EMBEDDED));
    expect(readdirSync(join(out, 'fakehub'))).toEqual(['embedded-copy']);
  });

  it('refuses an id that is not a model id, before any request', async () => {
    for (const id of ['../../etc', 'a/b/c', '/abs', 'org/..']) {
      expect(() => parseFetchArgs([id], {}), id).toThrow(/is not a model id/);
      await expect(fetchModel(options(id))).rejects.toThrow(/is not a model id/);
    }
    expect(hub.requests).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('parses options: endpoint from --endpoint, else HF_ENDPOINT, else the hub', () => {
    expect(parseFetchArgs(['Xenova/all-MiniLM-L6-v2'], {})).toEqual({
      id: 'Xenova/all-MiniLM-L6-v2',
      endpoint: DEFAULT_ENDPOINT,
      revision: 'main',
      dtype: 'fp32',
      out: 'public/models',
      force: false,
    });
    expect(parseFetchArgs(['a/b'], { HF_ENDPOINT: 'http://mirror' })).toMatchObject({ endpoint: 'http://mirror' });
    expect(parseFetchArgs(['a/b', '--endpoint', 'http://x', '--dtype', 'q4f16', '--revision', 'v2', '--out', 'o', '--force'], { HF_ENDPOINT: 'http://mirror', HF_TOKEN: 't' })).toEqual({
      id: 'a/b',
      endpoint: 'http://x',
      revision: 'v2',
      dtype: 'q4f16',
      out: 'o',
      force: true,
      token: 't',
    });
    expect(parseFetchArgs(['--help'], {})).toBe('help');
    expect(() => parseFetchArgs(['a/b', '--dtype', 'int3'], {})).toThrow(/unknown --dtype "int3"/);
    expect(() => parseFetchArgs(['a/b', '--endpoint', 'ftp://x'], {})).toThrow(/not an http\(s\) URL/);
    expect(() => parseFetchArgs([], {})).toThrow(/expected one model id/);
    expect(() => parseFetchArgs(['a/b', '--colour'], {})).toThrow(/Unknown option '--colour'/);
    expect(hubFileUrl('https://huggingface.co/', 'Xenova/all-MiniLM-L6-v2', 'refs/pr/1', 'onnx/model.onnx')).toBe(
      'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/refs%2Fpr%2F1/onnx/model.onnx',
    );
  });

  it('says clearly when the hub cannot be reached', async () => {
    const closed = await startFakeHub({});
    await closed.close();
    await expect(fetchModel(options(ID, { endpoint: closed.url }))).rejects.toThrow(
      new RegExp(`^could not reach ${closed.url.replace(/\./g, '\\.')} for .*ECONNREFUSED.*check the network connection, --endpoint / HF_ENDPOINT`),
    );
    expect(readdirSync(out)).toEqual([]);
  });

  /** Runs the CLI as npm run fetch-model does (without blocking this process, which serves the hub). */
  function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done, fail) => {
      const child = spawn('npx', ['tsx', 'scripts/fetch-model.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  it('runs as a command with HF_ENDPOINT, and fails with a message and exit code 1, no stack trace', async () => {
    const ok = await cli([ID, '--out', out], { HF_ENDPOINT: hub.url });
    expect(ok.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Fetching ${ID} (revision main, dtype fp32) from ${hub.url}`);
    expect(ok.stdout).toMatch(new RegExp(`onnx/model\\.onnx\\s+${printedSize('onnx/model.onnx')}`));
    expect(ok.stdout).toContain(`with ?model=${ID}`);
    expect(hub.requests[0]).toBe(`/${ID}/resolve/main/config.json`);
    expect(listFiles(join(out, ID))).toEqual(listFiles(EMBEDDED));

    const again = await cli([ID, '--out', out], { HF_ENDPOINT: hub.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`fetch-model: ${join(out, ID)} already exists: pass --force to replace it`);

    const missing = await cli(['fakehub/no-tokenizer', '--out', out], { HF_ENDPOINT: hub.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`fetch-model: tokenizer.json is missing: ${hub.url}/fakehub/no-tokenizer/resolve/main/tokenizer.json answered 404.`);
    expect(existsSync(join(out, 'fakehub/no-tokenizer'))).toBe(false);

    const closed = await startFakeHub({});
    await closed.close();
    const unreachable = await cli(['fakehub/other', '--out', out], { HF_ENDPOINT: closed.url });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`fetch-model: could not reach ${closed.url} for ${closed.url}/fakehub/other/resolve/main/config.json (connect ECONNREFUSED`);
    expect(unreachable.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(join(out, 'fakehub'))).toEqual(['embedded-copy']);
  });
});
