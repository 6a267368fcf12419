/**
 * Builds the embedded default model into public/models/<id>/ from the corpus, offline and
 * deterministically: WordPiece vocabulary -> tokenizer files -> corpus tokenised by transformers.js's
 * own tokenizer (so fitting sees exactly what inference sees) -> LSA token vectors -> ONNX.
 * Usage: npm run build-model [-- --check]   (--check fails if the committed model differs)
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { Corpus } from '../src/corpus/types';
import { paperText } from '../src/corpus/text';
import { buildVocab } from '../src/model/vocab';
import { configJson, tokenizerConfigJson, tokenizerJson } from '../src/model/hf-files';
import { DEFAULT_FIT_OPTIONS, fitTokenVectors } from '../src/model/fit';
import { staticEmbeddingOnnx } from '../src/model/onnx';
import { DEFAULT_MODEL_ID } from '../src/model/models';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const corpus = JSON.parse(readFileSync(join(root, 'public/corpus/corpus.json'), 'utf8')) as Corpus;
const texts = corpus.papers.map(paperText);

const modelsRoot = check ? mkdtempSync(join(tmpdir(), 'papermap-model-')) : join(root, 'public/models');
const outDir = join(modelsRoot, DEFAULT_MODEL_ID);
mkdirSync(join(outDir, 'onnx'), { recursive: true });

const vocab = buildVocab(texts);
const files: Record<string, string | Uint8Array> = {
  'tokenizer.json': JSON.stringify(tokenizerJson(vocab)),
  'tokenizer_config.json': JSON.stringify(tokenizerConfigJson(), null, 1),
};
for (const [name, content] of Object.entries(files)) writeFileSync(join(outDir, name), content);

env.allowRemoteModels = false;
env.localModelPath = modelsRoot + '/';
const tokenizer = await AutoTokenizer.from_pretrained(DEFAULT_MODEL_ID);
const documents = texts.map((t) => tokenizer.encode(t) as number[]);
const unknown = documents.flat().filter((id) => id === vocab.indexOf('[UNK]')).length;

const table = fitTokenVectors(documents, vocab, DEFAULT_FIT_OPTIONS);
files['config.json'] = JSON.stringify(
  configJson({
    id: DEFAULT_MODEL_ID,
    dims: DEFAULT_FIT_OPTIONS.dims,
    vocab,
    provenance: {
      kind: 'static token embeddings, LSA (truncated SVD of token x document TF-IDF), mean-pooled',
      note: 'Fitted on the shipped corpus by scripts/build-model.ts; not a pretrained transformer.',
      corpus_hash: corpus.hash,
      documents: texts.length,
      ...DEFAULT_FIT_OPTIONS,
    },
  }),
  null,
  1,
);
files['onnx/model.onnx'] = staticEmbeddingOnnx(table, vocab.length, DEFAULT_FIT_OPTIONS.dims, 'papermap build-model');
for (const [name, content] of Object.entries(files)) writeFileSync(join(outDir, name), content);

const tokens = documents.reduce((n, d) => n + d.length, 0);
console.log(`${DEFAULT_MODEL_ID}: vocab ${vocab.length}, dims ${DEFAULT_FIT_OPTIONS.dims}, ${texts.length} documents, ${tokens} tokens (${unknown} unknown), model ${(files['onnx/model.onnx'] as Uint8Array).length} bytes`);

if (check) {
  const committed = join(root, 'public/models', DEFAULT_MODEL_ID);
  const stale = Object.keys(files).filter((name) => {
    const path = join(committed, name);
    return !existsSync(path) || !readFileSync(path).equals(readFileSync(join(outDir, name)));
  });
  rmSync(modelsRoot, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`public/models/${DEFAULT_MODEL_ID} is out of date (${stale.join(', ')}): run npm run build-model`);
    process.exit(1);
  }
  console.log('embedded model is up to date');
}
