/**
 * Builds the embedded default model into public/models/<id>/, offline and deterministically, from the
 * training papers of ../shared/corpora/arxiv-cc0 (never its development papers, see lib/arxiv.ts):
 * WordPiece vocabulary -> token ids -> token vectors (lib/model/fit.ts) -> int8 ONNX, tokenizer.json,
 * config.json (which records where the vectors came from: the shards' SHA-256, the recipe, the files).
 *
 * Usage: npm run build-model [-- --check | --verify]
 *   --check   cheap provenance check (CI): the training shards, the recipe (options and the build's
 *             source files) and the committed files are the ones config.json records
 *   --verify  rebuild into a temporary folder and compare byte for byte (about five minutes)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_ID } from '../src/model/models';
import { DEFAULT_CORPUS_FIT } from '../src/model/corpus-fit';
import { arxivDir, paperText, primaryCategory, readArxiv, shardDigests, splitByPaper, DEV_SHARE } from './lib/arxiv';
import { buildVocab, DEFAULT_VOCAB_OPTIONS } from './lib/model/wordpiece';
import { preTokenize } from '../src/model/pretokenize';
import { WordPieceEncoder } from '../src/model/wordpiece';
import { DEFAULT_FIT_OPTIONS, fitTokenVectors } from './lib/model/fit';
import { quantiseTable, staticEmbeddingOnnx } from './lib/model/onnx';
import { configJson, tokenizerConfigJson, tokenizerJson } from './lib/model/hf-files';

const root = new URL('..', import.meta.url).pathname;
const committed = join(root, 'public/models', DEFAULT_MODEL_ID);
/** Everything that decides the model's bytes besides the training data. */
const RECIPE_SOURCES = [
  'scripts/build-model.ts',
  'scripts/lib/arxiv.ts',
  'scripts/lib/model/wordpiece.ts',
  'src/model/wordpiece.ts',
  'src/model/pretokenize.ts',
  'src/model/vocab-trie.ts',
  'scripts/lib/model/ppmi.ts',
  'scripts/lib/model/fit.ts',
  'scripts/lib/model/onnx.ts',
  'scripts/lib/model/hf-files.ts',
  'src/math/linalg/svd.ts',
  'src/math/linalg/add-scaled.ts',
  'src/math/random.ts',
  'src/math/text/stopwords.ts',
  'src/model/vocab.ts',
];
const MODEL_FILES = ['onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const recipeDigest = () => sha256(RECIPE_SOURCES.map((f) => `${f}\n${readFileSync(join(root, f), 'utf8')}`).join('\n'));

interface Provenance {
  training: { corpus: string; shards: Record<string, string>; papers: number; devShare: number; devPapers: number };
  recipe: string;
  files: Record<string, string>;
}

/** The cheap check CI runs: what config.json says the model was built from is what is here. */
function check(): number {
  const config = JSON.parse(readFileSync(join(committed, 'config.json'), 'utf8')) as { papermap?: { provenance?: Provenance } };
  const recorded = config.papermap?.provenance;
  if (!recorded) return fail(`public/models/${DEFAULT_MODEL_ID}/config.json records no provenance: run npm run build-model`);
  const problems: string[] = [];
  if (recorded.recipe !== recipeDigest()) problems.push('the recipe (the build scripts or their options) changed since the model was built');
  const shards = shardDigests();
  if (JSON.stringify(shards) !== JSON.stringify(recorded.training.shards)) problems.push(`the training shards in ${arxivDir()} are not the ones the model was built from`);
  for (const file of MODEL_FILES) {
    const path = join(committed, file);
    if (!existsSync(path) || sha256(readFileSync(path)) !== recorded.files[file]) problems.push(`${file} is not the file the build wrote`);
  }
  if (problems.length > 0) return fail(`public/models/${DEFAULT_MODEL_ID} is out of date: ${problems.join('; ')}. Run npm run build-model.`);
  console.log(`${DEFAULT_MODEL_ID}: provenance checked (recipe, ${Object.keys(shards).length} training shards, ${MODEL_FILES.length} files)`);
  return 0;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

function build(outDir: string): void {
  const started = performance.now();
  const say = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);
  const { train, dev } = splitByPaper(readArxiv());
  say(`training corpus: ${train.length} papers (${dev.length} development papers set aside)`);
  const texts = train.map(paperText);

  const wordCounts = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const vocab = buildVocab(wordCounts, DEFAULT_VOCAB_OPTIONS);
  // The model was trained on "[MASK]" written in an abstract (21 training papers) as "[", "mask", "]"; the app reads it as transformers.js does.
  const encoder = new WordPieceEncoder(vocab, { splitSpecialTokens: false });
  const categories = [...new Set(train.map(primaryCategory))].sort();
  const categoryId = new Map(categories.map((c, i) => [c, i]));
  const training = texts.map((text, i) => ({ ids: encoder.encode(text), category: categoryId.get(primaryCategory(train[i]!))! }));
  say(`vocabulary: ${vocab.length} tokens; ${categories.length} categories`);

  const { table, dims, report } = fitTokenVectors(training, vocab, categories.length, DEFAULT_FIT_OPTIONS, say);
  const quantised = quantiseTable(table, vocab.length, dims);

  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'onnx/model.onnx': staticEmbeddingOnnx(quantised, 'papermap build-model'),
    'tokenizer.json': JSON.stringify(tokenizerJson(vocab)),
    'tokenizer_config.json': JSON.stringify(tokenizerConfigJson(), null, 1),
  };
  const provenance: Provenance = {
    training: { corpus: 'arxiv-cc0 (arXiv metadata, CC0 1.0): titles and abstracts', shards: shardDigests(), papers: train.length, devShare: DEV_SHARE, devPapers: dev.length },
    recipe: recipeDigest(),
    files: Object.fromEntries(MODEL_FILES.map((f) => [f, sha256(files[f]!)])),
  };
  files['config.json'] = JSON.stringify(
    configJson({
      id: DEFAULT_MODEL_ID,
      dims,
      vocab,
      provenance: {
        kind: 'static token embeddings: PPMI-SVD of word co-occurrence in 162k arXiv abstracts, SIF-weighted, common direction removed, int8; mean-pooled',
        note: 'Built by scripts/build-model.ts; not a pretrained transformer. A map built with it also fits the corpus being mapped (corpus_fit).',
        fit: DEFAULT_FIT_OPTIONS,
        vocabulary: DEFAULT_VOCAB_OPTIONS,
        tokens: report.tokens,
        ppmi_entries: report.ppmiEntries,
        corpus_fit: { dims: DEFAULT_CORPUS_FIT.dims },
        provenance,
      },
    }),
    null,
    1,
  );
  for (const [name, content] of Object.entries(files)) writeFileSync(join(outDir, name), content);
  say(`${DEFAULT_MODEL_ID}: vocab ${vocab.length}, dims ${dims}, model ${(files['onnx/model.onnx'] as Uint8Array).length} bytes`);
}

function verify(): number {
  const dir = mkdtempSync(join(tmpdir(), 'papermap-model-'));
  try {
    build(join(dir, DEFAULT_MODEL_ID));
    const stale = ['config.json', ...MODEL_FILES].filter((f) => !existsSync(join(committed, f)) || !readFileSync(join(committed, f)).equals(readFileSync(join(dir, DEFAULT_MODEL_ID, f))));
    if (stale.length > 0) return fail(`public/models/${DEFAULT_MODEL_ID} differs from a fresh build (${stale.join(', ')})`);
    console.log('the committed model is byte for byte what the build makes');
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--check')) process.exitCode = check();
else if (process.argv.includes('--verify')) process.exitCode = verify();
else build(committed);
