/**
 * Downloads a pretrained model from a Hugging Face hub (or a mirror: HF_ENDPOINT) into
 * <out>/<org>/<name>/ in the layout transformers.js loads, so the app can self-host it. Pure Node.
 *
 * Files go to a hidden temporary folder next to the destination and are renamed into place only when
 * every file arrived whole and passed its checks: a failed or interrupted download never leaves a
 * half model (nor, except after a hard kill, a temporary folder).
 */
import { closeSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { isValidModelId } from '../../src/model/models';

/** transformers.js 4.x's dtype → ONNX file suffix (DEFAULT_DTYPE_SUFFIX_MAPPING in its utils/dtypes.js). */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  q2: '_q2',
  q2f16: '_q2f16',
  q1: '_q1',
  q1f16: '_q1f16',
  bnb4: '_bnb4',
} as const;
export type Dtype = keyof typeof DTYPE_SUFFIX;

/** The dtype the app asks transformers.js for (workers/embed.ts): it loads onnx/model.onnx. */
const APP_DTYPE: Dtype = 'fp32';
/** transformers.js refuses more external data chunks than this (MAX_EXTERNAL_DATA_CHUNKS). */
const MAX_DATA_CHUNKS = 100;

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
export const DEFAULT_OUT = 'public/models';

export interface FetchModelOptions {
  id: string;
  /** Hub root; files are at `${endpoint}/${id}/resolve/${revision}/${path}`. */
  endpoint: string;
  revision: string;
  dtype: Dtype;
  /** The models folder: the model lands in `${out}/${id}/`. */
  out: string;
  /** Replace an existing model folder. */
  force: boolean;
  /** Sent as a bearer token (gated or private models); fetch drops it on a redirect to another host. */
  token?: string;
  /** One line per event (each file, the total, how to use it); silent when absent. */
  log?: (line: string) => void;
  /** Aborting stops the download and removes what was downloaded. */
  signal?: AbortSignal;
}

export interface FetchedFile {
  /** Path inside the model folder, e.g. "onnx/model.onnx". */
  path: string;
  bytes: number;
}

export interface FetchModelResult {
  dir: string;
  files: FetchedFile[];
  total: number;
}

/** A failure the user can act on: its message is complete and meant to be printed without a stack. */
export class FetchModelError extends Error {
  override name = 'FetchModelError';
}

export const USAGE = `Usage: npm run fetch-model -- <org/name> [options]

Downloads a pretrained sentence-transformers model in transformers.js layout (e.g. Xenova/all-MiniLM-L6-v2)
into <out>/<org>/<name>/, so the app can load it offline with ?model=<org/name>.

Options:
  --endpoint <url>   hub to download from (default: $HF_ENDPOINT, else ${DEFAULT_ENDPOINT})
  --revision <rev>   branch, tag or commit (default: main)
  --dtype <dtype>    which ONNX weights, named as transformers.js names them (default: fp32; the app loads fp32):
${Object.entries(DTYPE_SUFFIX)
  .map(([dtype, suffix]) => `                       ${dtype.padEnd(6)} onnx/model${suffix}.onnx`)
  .join('\n')}
  --out <dir>        models folder (default: ${DEFAULT_OUT})
  --force            replace the model if it is already there
  -h, --help         show this help

A token in $HF_TOKEN is sent for gated or private models.`;

/** Parses the command line; 'help' when help was asked for. Throws FetchModelError on bad usage. */
export function parseFetchArgs(argv: string[], env: Record<string, string | undefined> = process.env): FetchModelOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: 'string' },
        revision: { type: 'string', default: 'main' },
        dtype: { type: 'string', default: 'fp32' },
        out: { type: 'string', default: DEFAULT_OUT },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new FetchModelError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new FetchModelError(`expected one model id, got ${positionals.length}\n\n${USAGE}`);
  const token = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  const options: FetchModelOptions = {
    id: positionals[0]!,
    endpoint: values.endpoint ?? (env.HF_ENDPOINT || DEFAULT_ENDPOINT),
    revision: values.revision,
    dtype: values.dtype as Dtype,
    out: values.out,
    force: values.force,
    ...(token ? { token } : {}),
  };
  validate(options);
  return options;
}

function validate(options: FetchModelOptions): void {
  if (!isValidModelId(options.id)) {
    throw new FetchModelError(`"${options.id}" is not a model id: expected "org/name" (letters, digits, ".", "_", "-"), e.g. Xenova/all-MiniLM-L6-v2`);
  }
  if (!Object.hasOwn(DTYPE_SUFFIX, options.dtype)) {
    throw new FetchModelError(`unknown --dtype "${options.dtype}": use one of ${Object.keys(DTYPE_SUFFIX).join(', ')}`);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(options.endpoint);
  } catch {
    throw new FetchModelError(`--endpoint / HF_ENDPOINT "${options.endpoint}" is not a URL (expected e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new FetchModelError(`--endpoint / HF_ENDPOINT "${options.endpoint}" is not an http(s) URL`);
  }
  if (!options.revision || /\s/.test(options.revision)) throw new FetchModelError(`--revision "${options.revision}" is not a revision`);
}

/** The hub URL of one file of a model. */
export function hubFileUrl(endpoint: string, id: string, revision: string, path: string): string {
  const root = endpoint.replace(/\/+$/, '');
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${root}/${id}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A reason an error was raised, without the stack: "ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND x", … */
function cause(error: unknown): string {
  const inner = (error as { cause?: unknown })?.cause;
  const from = inner instanceof Error ? inner : error instanceof Error ? error : null;
  if (!from) return String(error);
  const code = (from as { code?: string }).code;
  return code && !from.message.includes(code) ? `${code}: ${from.message}` : from.message;
}

/** ModelProto field number → wire type (onnx.proto): the first tag of an ONNX file is one of these. */
const MODEL_PROTO_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

/** Why the start of a file is not an ONNX model, or null when it starts like one (a ModelProto field tag). */
export function notOnnx(head: Uint8Array): string | null {
  if (head.length === 0) return 'it is empty';
  const text = new TextDecoder().decode(head.subarray(0, 64));
  if (text.startsWith('version https://git-lfs')) return 'it is a Git LFS pointer, not the weights (the endpoint served the raw repository file instead of resolving it)';
  if (/^\s*</.test(text)) return 'it is an HTML or XML page, not a model';
  if (/^\s*[{[]/.test(text)) return 'it is JSON, not a model';
  let tag = 0;
  for (let i = 0, shift = 0; i < Math.min(head.length, 4); i++, shift += 7) {
    tag |= (head[i]! & 0x7f) << shift;
    if (!(head[i]! & 0x80)) break;
  }
  return MODEL_PROTO_FIELDS[tag >>> 3] === (tag & 7) ? null : `it does not start like an ONNX protobuf (first byte 0x${head[0]!.toString(16).padStart(2, '0')})`;
}

function readHead(file: string, length: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

function parseJsonFile(file: string, path: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FetchModelError(`${path} is not valid JSON (${(error as Error).message}): the download is damaged or the endpoint is not a model hub`);
  }
}

/** Number of external data chunks transformers.js will ask for (resolveExternalDataFormat), or null when the config does not say. */
function externalDataChunks(config: Record<string, unknown>, onnxFile: string): number | null {
  const jsConfig = config['transformers.js_config'] as { use_external_data_format?: unknown } | undefined;
  const setting = jsConfig?.use_external_data_format;
  if (setting === undefined || setting === null) return null;
  if (typeof setting === 'object') {
    const table = setting as Record<string, unknown>;
    const stem = onnxFile.replace(/(_[a-z0-9]+)?\.onnx$/, '');
    const value = Object.hasOwn(table, onnxFile) ? table[onnxFile] : Object.hasOwn(table, stem) ? table[stem] : 0;
    return Number(value) || 0;
  }
  return Number(setting) || 0;
}

/**
 * Downloads the model. Throws FetchModelError for everything the user can fix (missing files,
 * unreachable hub, existing folder, damaged download); nothing is left behind when it throws.
 */
export async function fetchModel(options: FetchModelOptions): Promise<FetchModelResult> {
  validate(options);
  const log = options.log ?? (() => {});
  const { id, revision, dtype } = options;
  const dest = resolve(options.out, ...id.split('/'));
  const parent = dirname(dest);
  if (existsSync(dest) && !options.force) throw new FetchModelError(`${dest} already exists: pass --force to replace it`);

  const created = mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(dest)}.download-`));
  const files: FetchedFile[] = [];
  const onnxFile = `model${DTYPE_SUFFIX[dtype]}.onnx`;

  /** Downloads one file into tmp; null when it is optional and the hub has no such file. */
  const download = async (path: string, required: boolean, missing: string): Promise<FetchedFile | null> => {
    const url = hubFileUrl(options.endpoint, id, revision, path);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'follow',
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FetchModelError(`could not reach ${new URL(url).origin} for ${url} (${cause(error)}): check the network connection, --endpoint / HF_ENDPOINT, or a proxy`);
    }
    if (response.status === 404 && !required) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (response.status === 404) throw new FetchModelError(`${path} is missing: ${url} answered 404. ${missing}`);
      if (response.status === 401 || response.status === 403) {
        throw new FetchModelError(
          `${url} answered ${status}: "${id}" does not exist on ${options.endpoint}, or it is private or gated (accept its licence on the hub and set HF_TOKEN to a token that may read it)`,
        );
      }
      throw new FetchModelError(`${url} answered ${status}: the hub could not serve ${path}; try again later`);
    }
    const file = join(tmp, ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    let bytes = 0;
    try {
      const body = response.body ? Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>) : Readable.from([]);
      const count = async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          yield chunk;
        }
      };
      await pipeline(body, count, createWriteStream(file), options.signal ? { signal: options.signal } : {});
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FetchModelError(`the download of ${path} from ${response.url || url} broke off after ${formatBytes(bytes)} (${cause(error)}): nothing was installed; run it again`);
    }
    const expected = response.headers.get('content-length');
    if (expected !== null && !response.headers.get('content-encoding') && Number(expected) !== bytes) {
      throw new FetchModelError(`the download of ${path} is incomplete (${bytes} of ${expected} bytes): nothing was installed; run it again`);
    }
    const fetched = { path, bytes };
    files.push(fetched);
    log(`  ${path.padEnd(32)} ${formatBytes(bytes).padStart(10)}`);
    return fetched;
  };

  try {
    log(`Fetching ${id} (revision ${revision}, dtype ${dtype}) from ${options.endpoint.replace(/\/+$/, '')}`);
    const noModel = `There is no model "${id}" at revision "${revision}" on ${options.endpoint}: check the id, --revision and --endpoint / HF_ENDPOINT.`;
    const notTransformersJs = (path: string) =>
      `"${id}" has no ${path}, which transformers.js needs: it is not a model in transformers.js layout (look for a converted copy, e.g. under Xenova/ or onnx-community/).`;
    await download('config.json', true, noModel);
    const config = parseJsonFile(join(tmp, 'config.json'), 'config.json') as Record<string, unknown>;
    if (typeof config?.model_type !== 'string') throw new FetchModelError(`config.json of "${id}" has no model_type: transformers.js cannot tell which architecture it is`);
    await download('tokenizer.json', true, notTransformersJs('tokenizer.json'));
    parseJsonFile(join(tmp, 'tokenizer.json'), 'tokenizer.json');
    await download('tokenizer_config.json', true, notTransformersJs('tokenizer_config.json'));
    parseJsonFile(join(tmp, 'tokenizer_config.json'), 'tokenizer_config.json');
    if (await download('special_tokens_map.json', false, '')) parseJsonFile(join(tmp, 'special_tokens_map.json'), 'special_tokens_map.json');

    const others = Object.entries(DTYPE_SUFFIX)
      .filter(([d]) => d !== dtype)
      .map(([d, suffix]) => `${d}: model${suffix}.onnx`)
      .join(', ');
    await download(
      `onnx/${onnxFile}`,
      true,
      `"${id}" has no ONNX weights for --dtype ${dtype}. Try another --dtype if the model has other weights (${others}), or a copy of the model converted to ONNX for transformers.js (e.g. under Xenova/ or onnx-community/).`,
    );
    const problem = notOnnx(readHead(join(tmp, 'onnx', onnxFile), 16));
    if (problem) throw new FetchModelError(`onnx/${onnxFile} is not an ONNX model: ${problem}`);

    const chunks = externalDataChunks(config, onnxFile);
    if (chunks !== null && chunks > MAX_DATA_CHUNKS) throw new FetchModelError(`config.json asks for ${chunks} external data files; transformers.js loads at most ${MAX_DATA_CHUNKS}`);
    const dataFiles = Array.from({ length: chunks ?? 1 }, (_, i) => `onnx/${onnxFile}_data${i === 0 ? '' : `_${i}`}`);
    for (const path of dataFiles) {
      // Declared in config.json: required. Not declared: fetched when the hub has it.
      const got = await download(path, chunks !== null, `config.json declares ${chunks} external data file(s) for ${onnxFile} but the hub has no ${path}.`);
      if (got && chunks === null) {
        log(`  note: config.json does not declare ${path} (transformers.js_config.use_external_data_format): transformers.js will not load it unless it does`);
      }
      if (got && got.bytes === 0) throw new FetchModelError(`${path} is empty`);
    }

    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    if (options.signal?.aborted) throw options.signal.reason;
    if (existsSync(dest)) {
      if (!options.force) throw new FetchModelError(`${dest} appeared during the download: pass --force to replace it`);
      const old = mkdtempSync(join(parent, `.${basename(dest)}.replaced-`));
      rmdirSync(old);
      renameSync(dest, old);
      try {
        renameSync(tmp, dest);
      } catch (error) {
        renameSync(old, dest);
        throw error;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dest);
    }

    log(`${files.length} files, ${formatBytes(total)} in total → ${dest}${sep}`);
    const served = resolve(options.out).endsWith(`${sep}public${sep}models`)
      ? 'Run npm run build (or npm run dev) and open the app'
      : `Served as models/${id}/ of the app (when ${options.out} is its models/ folder), open the app`;
    log(`${served} with ?model=${id} to embed with it (offline: it is self-hosted).`);
    if (dtype !== APP_DTYPE) {
      log(`Note: the app currently asks transformers.js for dtype ${APP_DTYPE} (onnx/model${DTYPE_SUFFIX[APP_DTYPE]}.onnx); to use onnx/${onnxFile} it must ask for dtype ${dtype}.`);
    }
    return { dir: dest, files, total };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    removeEmptyDirs(parent, created);
    if (options.signal?.aborted) throw new FetchModelError('interrupted: nothing was installed');
    if (error instanceof FetchModelError) throw error;
    throw new FetchModelError(`could not install ${id} into ${dest} (${cause(error)}): nothing was installed`);
  }
}

/** Removes `dir` and its parents up to `created` (the first folder mkdir made), while they are empty. */
function removeEmptyDirs(dir: string, created: string | undefined): void {
  if (!created) return;
  for (let d = dir; d.startsWith(created); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === created) return;
  }
}
