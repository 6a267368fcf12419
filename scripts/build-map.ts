/**
 * Prebuilt maps: runs the app's own pipeline in Node (as npm run eval does) on a corpus and writes the
 * map as a static bundle the app opens without computing anything (src/cache/map-bundle.ts).
 *
 *   npm run build-map                                   the shipped corpus → public/maps/ (the demo's first visit)
 *   npm run build-map -- <corpus> [--model <id>] [--out <dir>]
 *   npm run build-map -- --check                        fails when public/maps/ is not what a build gives now
 *
 * <corpus>: a Papermap corpus.json, or a CSV / JSON / JSONL file as the app imports it (columns guessed;
 * a file's own vectors or positions are used as the app uses them). The bundle's name carries a hash of
 * its bytes; <out>/manifest.json lists the bundles by map key, which is how the app finds one.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useOnnxruntimeWeb, nodeOrtUrl } from './lib/node-ort';
import { readTable } from '../src/corpus/import-read';
import { buildImport, guessColumns } from '../src/corpus/import';
import { validateCorpus } from '../src/corpus/load';
import { paperText } from '../src/corpus/text';
import type { Corpus } from '../src/corpus/types';
import { DEFAULT_MODEL_ID } from '../src/model/models';
import { mapKey, mapModelKey, MAP_SCHEMA, type MapEntry } from '../src/cache/maps';
import { BUNDLE_EXTENSION, encodeMapBundle } from '../src/cache/map-bundle';
import { MANIFEST_FILE, type MapManifest } from '../src/cache/prebuilt';
import { DEFAULT_PIPELINE_PARAMS, type GivenGeometry } from '../src/pipeline/types';
import type { RunRequest } from '../workers/messages';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const check = args.includes('--check');
const corpusPath = resolve(args.find((a, i) => !a.startsWith('--') && !['--model', '--out'].includes(args[i - 1] ?? '')) ?? join(root, 'public/corpus/corpus.json'));
const modelId = option('--model') ?? DEFAULT_MODEL_ID;
const outDir = resolve(option('--out') ?? join(root, 'public/maps'));

/** The corpus, and what its file gave besides text, as the app's import would read it. */
async function readCorpus(path: string): Promise<{ corpus: Corpus; given: GivenGeometry | null }> {
  const table = await readTable(createReadStream(path), { name: basename(path), total: (await stat(path)).size });
  if (table.papermap) return { corpus: await validateCorpus(JSON.parse(await readFile(path, 'utf8'))), given: null };
  const result = await buildImport(table, guessColumns(table.columns));
  for (const warning of result.warnings) console.warn(`${basename(path)}: ${warning}`);
  return { corpus: result.corpus, given: result.vectors || result.coords ? { vectors: result.vectors, coords: result.coords } : null };
}

/** The map the app would compute for this corpus and model: the same request, the same entry. */
async function computeMap(corpus: Corpus, given: GivenGeometry | null): Promise<MapEntry> {
  await useOnnxruntimeWeb();
  // Imported only now: transformers.js must see onnxruntime-web when it first loads.
  const { runPipeline } = await import('../workers/pipeline');
  const request: RunRequest = {
    type: 'run',
    texts: corpus.papers.map(paperText),
    modelId,
    modelsUrl: pathToFileURL(join(root, 'public/models') + '/').href,
    ortUrl: nodeOrtUrl(),
    device: 'wasm',
    params: DEFAULT_PIPELINE_PARAMS,
    simulate: null,
    resume: null,
    given,
  };
  const result = await runPipeline(request, (message) => {
    if (message.type === 'stage-done') console.log(`  ${message.stage}: ${(message.ms / 1000).toFixed(1)} s`);
  });
  const mapModel = mapModelKey(modelId, given);
  return {
    ...result,
    // Times of this machine's run mean nothing to a visitor; the bundle stays the same on every build.
    timings: {},
    key: mapKey(corpus.hash, mapModel, DEFAULT_PIPELINE_PARAMS),
    schema: MAP_SCHEMA,
    corpusHash: corpus.hash,
    modelId: mapModel,
    params: DEFAULT_PIPELINE_PARAMS,
    createdAt: newestDate(corpus),
    prebuilt: true,
  };
}

/** A date the bundle can carry and still be byte-for-byte reproducible: the corpus's newest paper. */
function newestDate(corpus: Corpus): string {
  const dates = corpus.papers.map((p) => p.date).filter((d): d is string => typeof d === 'string').sort();
  return dates.at(-1) ?? '1970-01-01';
}

async function readManifest(): Promise<MapManifest> {
  try {
    return JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as MapManifest;
  } catch {
    return { format: 'papermap-maps', version: 1, maps: [] };
  }
}

const started = performance.now();
const { corpus, given } = await readCorpus(corpusPath);
console.log(`${basename(corpusPath)}: ${corpus.papers.length} papers, model ${modelId}`);
const entry = await computeMap(corpus, given);
const bytes = await encodeMapBundle(corpus, entry);
const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const stem = basename(corpusPath).replace(/\.[^.]+$/, '').replace(/[^a-z0-9-]+/gi, '-');
const file = `${stem}.${hash}${BUNDLE_EXTENSION}`;
const manifest = await readManifest();
const listed = manifest.maps.find((m) => m.key === entry.key);

if (check) {
  const stale = !listed ? `public/maps/${MANIFEST_FILE} lists no map for ${entry.key}` : listed.file !== file ? `public/maps/${listed.file} is not what a build gives now (${file})` : null;
  if (stale) {
    console.error(`The prebuilt map is out of date: ${stale}. Run npm run build-map and commit public/maps/.`);
    process.exit(1);
  }
  console.log(`public/maps/${file} is up to date (${(bytes.length / 1024).toFixed(0)} KiB).`);
} else {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, file), bytes);
  if (listed && listed.file !== file) await rm(join(outDir, listed.file), { force: true });
  const maps = [...manifest.maps.filter((m) => m.key !== entry.key), { key: entry.key, corpusHash: corpus.hash, modelId: entry.modelId, papers: corpus.papers.length, file, bytes: bytes.length }];
  maps.sort((a, b) => a.key.localeCompare(b.key));
  await writeFile(join(outDir, MANIFEST_FILE), JSON.stringify({ format: 'papermap-maps', version: 1, maps } satisfies MapManifest, null, 1) + '\n');
  console.log(`${join(outDir, file)}: ${(bytes.length / 1024).toFixed(0)} KiB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
