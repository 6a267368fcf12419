/**
 * `npm run eval -- --dev`: what the map means, measured on arXiv papers that no fitting step ever
 * read (the development split of ../shared/corpora/arxiv-cc0, see arxiv.ts). Corpora of ~300, ~3,000
 * and ~30,000 development papers are drawn with a fixed seed; each is mapped by
 *   - the embedded model with the fit to the corpus (the app's default: workers/pipeline.ts, on
 *     transformers.js + onnxruntime-web WASM, as in the browser),
 *   - the embedded model alone (the same vectors without the corpus's part),
 *   - the previous embedded model (papermap/wordvec-128, kept in bench/models/ for this comparison),
 *   - TF-IDF cosine, and
 *   - corpus-only LSA (the fit's own space),
 * all through the same kNN → UMAP → topics, and scored against the papers' arXiv labels at two
 * levels: archive (cs, math, cond-mat …) and category (cs.CV, cs.LG …).
 *
 * Measures: kNN label agreement (k = 10) in the vectors' space and on the 2D map, trustworthiness of
 * the map (k = 15), NMI of the map's topics with the labels, and title → abstract recall@10: each
 * title as a search query, ranked as search by meaning ranks (src/search/semantic.ts) against every
 * abstract of the corpus. On big corpora the costly parts are estimated on a fixed sample of papers
 * (the report says how many).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { archiveOf, paperText, primaryCategory, readArxiv, splitByPaper, type ArxivPaper } from './arxiv';
import { nodeOrtUrl, useOnnxruntimeWeb } from './node-ort';
import { sparseCosineDistance, sparseCosineKnn, type SparseRows } from './sparse-knn';
import { normalizedMutualInformation } from './eval/agreement';
import { exactEuclideanKnn, l2NormalizeRows, type KnnGraph } from '../../src/math/knn/knn';
import { rowDots } from '../../src/math/knn/row-dots';
import { sampledPreservationBy } from './eval/quality';
import { mulberry32 } from '../../src/math/random';
import { tfidfRows } from '../../src/math/text/tfidf';
import { createLayout, pcaInit } from '../../src/math/layout/layout';
import { COLOUR_LEVEL, termsReadOnce, topicLevels } from '../../src/math/topics/topics';
import { blendQuery, blendWithFit, fitCorpus, DEFAULT_CORPUS_FIT, type CorpusFit } from '../../src/model/corpus-fit';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { meaningRank, cosineRank } from '../../src/search/semantic';
import { buildLexicalIndex } from '../../src/search/lexical';
import { DEFAULT_PIPELINE_PARAMS, type PipelineResult } from '../../src/pipeline/types';
import type { RunRequest } from '../../workers/messages';

export const DEV_SIZES = [300, 3000, 30000];
export const PREVIOUS_MODEL_ID = 'papermap/wordvec-128';
const AGREEMENT_K = 10;
const TRUST_K = 15;
/** Papers whose neighbours, trustworthiness and retrieval are measured, at most. */
const SAMPLE = 2000;
const TRUST_SAMPLE = 300;
const SEED = 2026;
/** The fit's space alone: all of the blend's length, beside one empty column standing for no model. */
const LSA_ONLY = { ...DEFAULT_CORPUS_FIT, share: 1 };
const noModel = (n: number) => ({ vectors: new Float32Array(n), dims: 1 });

const root = new URL('../../', import.meta.url).pathname;
const modelsUrl = pathToFileURL(resolve(root, 'public/models') + '/').href;
const previousModelsUrl = pathToFileURL(resolve(root, 'bench/models') + '/').href;

export interface DevScores {
  name: string;
  dims: number;
  /** kNN label agreement (k = 10) in the vectors' space and on the map, by category and by archive. */
  category: { embedding: number; map: number; nmi: number };
  archive: { embedding: number; map: number; nmi: number };
  trustworthiness: number;
  /** Title → own abstract found in the top 10, as search by meaning ranks; and by the vectors alone. */
  recall: number;
  recallVectors: number | null;
  topics: number;
  seconds: number;
}

export interface DevCorpusReport {
  papers: number;
  categories: number;
  archives: number;
  chance: { category: number; archive: number };
  sampled: number;
  rows: DevScores[];
}

export interface DevReport {
  split: { train: number; dev: number };
  runtime: string;
  corpora: DevCorpusReport[];
}

/** A seeded draw of `size` papers (all of them when there are fewer). */
export function drawPapers(papers: ArxivPaper[], size: number, seed: number): ArxivPaper[] {
  const random = mulberry32(seed);
  return papers
    .map((p) => [random(), p] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, size)
    .map(([, p]) => p);
}

const ids = (values: string[]) => {
  const names = [...new Set(values)].sort();
  const id = new Map(names.map((v, i) => [v, i]));
  return { labels: Int32Array.from(values, (v) => id.get(v)!), count: names.length };
};

/** Share of the k nearest (self excluded) sharing the label, averaged over `rows`. */
function agreementOn(neighbours: (i: number) => ArrayLike<number>, labels: Int32Array, rows: ArrayLike<number>, k: number): number {
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    const near = neighbours(i);
    let same = 0;
    for (let s = 0; s < k; s++) if (labels[near[s]!] === labels[i]) same++;
    total += same / k;
  }
  return total / rows.length;
}

/** The k nearest of row i by cosine among n unit rows (self excluded), given their dot products. */
function nearestByCosine(dot: (i: number, j: number) => number, n: number, i: number, k: number): Int32Array {
  const scores = new Float32Array(n);
  for (let j = 0; j < n; j++) scores[j] = dot(i, j);
  scores[i] = -Infinity;
  return topIndices(scores, k);
}

function topIndices(scores: Float32Array, k: number): Int32Array {
  const best = new Int32Array(k).fill(-1);
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (best[k - 1] !== -1 && s <= scores[best[k - 1]!]!) continue;
    let at = k - 1;
    while (at > 0 && (best[at - 1] === -1 || scores[best[at - 1]!]! < s)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = j;
  }
  return best;
}

const chanceOf = (labels: Int32Array) => {
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const n = labels.length;
  let pairs = 0;
  for (const s of sizes.values()) pairs += s * (s - 1);
  return pairs / (n * (n - 1));
};

interface Mapped {
  coords: Float32Array;
  topics: Int32Array;
  topicCount: number;
}

/** The map of a kNN graph, as the pipeline makes it: UMAP from a PCA start, then topics. */
function mapOf(startVectors: Float32Array, startDims: number, knn: KnnGraph, texts: string[]): Mapped {
  const n = texts.length;
  const params = DEFAULT_PIPELINE_PARAMS;
  const layout = createLayout(startVectors, n, startDims, knn, params, pcaInit(startVectors, n, startDims, params.seed));
  for (let e = 0; e < layout.epochs; ) e = layout.step();
  const coords = layout.coords();
  const level = topicLevels(coords, n, termsReadOnce(texts))[COLOUR_LEVEL]!;
  return { coords, topics: level.topics, topicCount: level.terms.length };
}

const fromPipeline = (result: PipelineResult): Mapped => {
  const level = result.levels[COLOUR_LEVEL]!;
  return { coords: result.coords, topics: level.topics, topicCount: level.terms.length };
};

/** The model's own vectors inside blended ones: the first `dims` of each row, unit length again. */
function modelPart(blended: Float32Array, n: number, dims: number, modelDims: number): Float32Array {
  const out = new Float32Array(n * modelDims);
  for (let i = 0; i < n; i++) out.set(blended.subarray(i * dims, i * dims + modelDims), i * modelDims);
  return l2NormalizeRows(out, modelDims);
}

export async function evaluateDev(options: { sizes?: number[]; say?: (line: string) => void } = {}): Promise<DevReport> {
  const say = options.say ?? (() => undefined);
  await useOnnxruntimeWeb();
  const { runPipeline } = await import('../../workers/pipeline');
  const { Embedder } = await import('../../workers/embed');
  const { env } = await import('@huggingface/transformers');
  const ortVersion = (env.backends.onnx as { versions?: Record<string, string> }).versions?.web ?? '?';

  const { train, dev } = splitByPaper(readArxiv());
  const request = (texts: string[], modelId: string, url: string): RunRequest => ({
    type: 'run',
    texts,
    modelId,
    modelsUrl: url,
    ortUrl: nodeOrtUrl(),
    device: 'wasm',
    params: DEFAULT_PIPELINE_PARAMS,
    simulate: null,
    resume: null,
  });
  const quiet = () => undefined;
  const embedWith = async (modelId: string, url: string, texts: string[]) => {
    const embedder = await Embedder.load({ modelId, modelsUrl: url, ortUrl: nodeOrtUrl(), device: 'wasm' });
    const { vectors, dims } = await embedder.embedAll(texts, 32, () => undefined);
    const hint = embedder.corpusFit;
    await embedder.dispose();
    return { vectors, dims, hint };
  };

  const corpora: DevCorpusReport[] = [];
  for (const size of options.sizes ?? DEV_SIZES) {
    const papers = drawPapers(dev, size, SEED + size);
    const n = papers.length;
    const texts = papers.map(paperText);
    const titles = papers.map((p) => p.title);
    const abstracts = papers.map((p) => p.abstract);
    const category = ids(papers.map(primaryCategory));
    const archive = ids(papers.map((p) => archiveOf(primaryCategory(p))));
    const sample = n <= SAMPLE ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.from(drawPapers(papers.map((p, i) => ({ ...p, id: String(i) })), SAMPLE, SEED).map((p) => Number(p.id)));
    const trustRows = sample.subarray(0, Math.min(TRUST_SAMPLE, sample.length));
    say(`${n} development papers, ${category.count} categories, ${archive.count} archives`);

    const score = (name: string, dims: number, neighbours: (i: number) => ArrayLike<number>, highDist: (i: number, j: number) => number, mapped: Mapped, recall: number, recallVectors: number | null, seconds: number): DevScores => {
      const mapKnn = exactEuclideanKnn(mapped.coords, n, 2, AGREEMENT_K + 1);
      const onMap = (i: number) => Array.from(mapKnn.indices.subarray(i * mapKnn.k, (i + 1) * mapKnn.k)).filter((j) => j !== i);
      const trust = sampledPreservationBy(highDist, [mapped.coords], 2, n, TRUST_K, trustRows).layouts[0]!.trustworthiness;
      const row: DevScores = {
        name,
        dims,
        category: { embedding: agreementOn(neighbours, category.labels, sample, AGREEMENT_K), map: agreementOn(onMap, category.labels, sample, AGREEMENT_K), nmi: normalizedMutualInformation(mapped.topics, category.labels) },
        archive: { embedding: agreementOn(neighbours, archive.labels, sample, AGREEMENT_K), map: agreementOn(onMap, archive.labels, sample, AGREEMENT_K), nmi: normalizedMutualInformation(mapped.topics, archive.labels) },
        trustworthiness: trust,
        recall,
        recallVectors,
        topics: mapped.topicCount,
        seconds,
      };
      say(`  ${name}: category ${row.category.embedding.toFixed(3)} (map ${row.category.map.toFixed(3)}), archive ${row.archive.embedding.toFixed(3)}, recall@10 ${recall.toFixed(3)}, ${seconds.toFixed(0)} s`);
      return row;
    };
    const denseNeighbours = (vectors: Float32Array, dims: number) => {
      const dot = rowDots(vectors, n, dims);
      return (i: number) => nearestByCosine(dot, n, i, AGREEMENT_K);
    };
    const denseDistance = (vectors: Float32Array, dims: number) => {
      const dot = rowDots(vectors, n, dims);
      return (i: number, j: number) => 1 - dot(i, j);
    };
    /** Recall@10 of each sampled title among all abstracts; `rank` gives the top 10 abstracts of title i. */
    const recallOf = (rank: (i: number) => number[]) => {
      let found = 0;
      for (const i of sample) if (rank(i).includes(i)) found++;
      return found / sample.length;
    };
    const sampleTitles = Array.from(sample, (i) => titles[i]!);
    const lexical = buildLexicalIndex(abstracts);
    const rows: DevScores[] = [];

    // The embedded model as the app builds the map: with the fit to this corpus.
    for (const [name, modelId, url] of [
      [DEFAULT_MODEL_ID, DEFAULT_MODEL_ID, modelsUrl],
      [PREVIOUS_MODEL_ID, PREVIOUS_MODEL_ID, previousModelsUrl],
    ] as const) {
      let start = performance.now();
      const result = await runPipeline(request(texts, modelId, url), quiet);
      const fit = result.corpusFit ?? null;
      // Retrieval: abstracts are the documents (the fit made from them, as a map of them would), titles the queries.
      const docs = await embedWith(modelId, url, abstracts);
      const queries = await embedWith(modelId, url, sampleTitles);
      const docFit: CorpusFit | null = fit && docs.hint ? fitCorpus(abstracts, docs, { ...DEFAULT_CORPUS_FIT, dims: docs.hint.dims }, docs.hint.queryIgnores) : null;
      const docVectors = docFit ? blendWithFit(docFit, docs.vectors, docs.dims, abstracts) : docs.vectors;
      const docDims = docs.dims + (docFit?.dims ?? 0);
      const queryOf = (s: number) => {
        const q = queries.vectors.subarray(s * queries.dims, (s + 1) * queries.dims);
        return docFit ? blendQuery(docFit, q, sampleTitles[s]!) : q;
      };
      const top = (s: number, withWords: boolean) => (withWords ? meaningRank(docVectors, docDims, queryOf(s), sampleTitles[s]!, lexical, 10) : cosineRank(docVectors, docDims, queryOf(s), 10)).map((h) => h.index);
      const recall = recallOf((i) => top(sample.indexOf(i), true));
      const recallVectors = recallOf((i) => top(sample.indexOf(i), false));
      const label = fit ? `${name} + corpus fit` : name;
      rows.push(score(label, result.dims, denseNeighbours(result.embeddings, result.dims), denseDistance(result.embeddings, result.dims), fromPipeline(result), recall, recallVectors, (performance.now() - start) / 1000));

      if (fit) {
        // The same model's vectors without the corpus's part, through the same kNN, UMAP and topics.
        start = performance.now();
        const modelDims = result.dims - fit.dims;
        const alone = modelPart(result.embeddings, n, result.dims, modelDims);
        const mapped = fromPipeline(await runPipeline({ ...request(texts, modelId, url), given: { vectors: { data: alone, dims: modelDims }, coords: null } }, quiet));
        const docAlone = modelPart(docVectors, n, docDims, docs.dims);
        const topAlone = (s: number, withWords: boolean) => {
          const q = queries.vectors.subarray(s * queries.dims, (s + 1) * queries.dims);
          return (withWords ? meaningRank(docAlone, docs.dims, q, sampleTitles[s]!, lexical, 10) : cosineRank(docAlone, docs.dims, q, 10)).map((h) => h.index);
        };
        rows.push(score(`${name} alone`, modelDims, denseNeighbours(alone, modelDims), denseDistance(alone, modelDims), mapped, recallOf((i) => topAlone(sample.indexOf(i), true)), recallOf((i) => topAlone(sample.indexOf(i), false)), (performance.now() - start) / 1000));
      }
    }

    // TF-IDF cosine: exact sparse kNN, the map from a PCA start of its LSA (a dense PCA of 8,192 columns would do the same, slower).
    {
      const start = performance.now();
      const tfidf: SparseRows = tfidfRows(texts);
      const knn = sparseCosineKnn(tfidf, DEFAULT_PIPELINE_PARAMS.nNeighbors);
      const lsa = fitCorpus(texts, noModel(n), LSA_ONLY)!;
      // Weight 1: the blend is the corpus's part alone (behind one empty column).
      const lsaVectors = blendWithFit(lsa, new Float32Array(n), 1, texts);
      const mapped = mapOf(lsaVectors, lsa.dims + 1, knn, texts);
      const neighbours = (i: number) => Array.from(knn.indices.subarray(i * knn.k + 1, i * knn.k + 1 + AGREEMENT_K));
      const both = tfidfRows([...abstracts, ...sampleTitles]);
      const docsRows: SparseRows = { rows: both.rows.slice(0, n), dims: both.dims };
      const distance = sparseCosineDistance({ rows: [...docsRows.rows, ...both.rows.slice(n)], dims: both.dims });
      const recall = recallOf((i) => {
        const s = sample.indexOf(i);
        const scores = new Float32Array(n);
        for (let j = 0; j < n; j++) scores[j] = 1 - distance(n + s, j);
        return Array.from(topIndices(scores, 10));
      });
      rows.push(score('TF-IDF cosine', tfidf.dims, neighbours, sparseCosineDistance(tfidf), mapped, recall, null, (performance.now() - start) / 1000));

      // Corpus-only LSA: the fit's space alone, through the pipeline.
      const lsaStart = performance.now();
      const lsaOnly = l2NormalizeRows(lsaVectors, lsa.dims + 1);
      const lsaMapped = fromPipeline(await runPipeline({ ...request(texts, DEFAULT_MODEL_ID, modelsUrl), given: { vectors: { data: lsaOnly, dims: lsa.dims + 1 }, coords: null } }, quiet));
      const absFit = fitCorpus(abstracts, noModel(n), LSA_ONLY)!;
      const absVectors = blendWithFit(absFit, new Float32Array(n), 1, abstracts);
      const lsaRecall = recallOf((i) => {
        const s = sample.indexOf(i);
        return cosineRank(absVectors, absFit.dims + 1, blendQuery(absFit, new Float32Array(1), sampleTitles[s]!), 10).map((h) => h.index);
      });
      rows.push(score(`corpus-only LSA-${lsa.dims}`, lsa.dims, denseNeighbours(lsaOnly, lsa.dims + 1), denseDistance(lsaOnly, lsa.dims + 1), lsaMapped, lsaRecall, null, (performance.now() - lsaStart) / 1000));
    }
    corpora.push({ papers: n, categories: category.count, archives: archive.count, chance: { category: chanceOf(category.labels), archive: chanceOf(archive.labels) }, sampled: sample.length, rows });
  }
  return {
    split: { train: train.length, dev: dev.length },
    runtime: `transformers.js ${env.version} on onnxruntime-web ${ortVersion} (WASM), Node ${process.version}`,
    corpora,
  };
}

const f3 = (x: number | null) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** The report as one table per corpus size, and the gains over TF-IDF. */
export function formatDevReport(report: DevReport): string {
  const out: string[] = [
    `Development split of arxiv-cc0: ${report.split.dev} papers never fitted on (${report.split.train} training papers); ${report.runtime}`,
    'kNN agreement: share of a paper\'s 10 nearest with its label, in the vectors\' space / on the 2D map. recall@10: a title as a query finds its own abstract in the top 10 (search by meaning: vectors + words; in brackets: vectors alone).',
  ];
  for (const c of report.corpora) {
    out.push('', `${c.papers} papers · ${c.categories} categories · ${c.archives} archives (chance: ${f3(c.chance.category)} / ${f3(c.chance.archive)}; measured on ${c.sampled} papers)`);
    const head = ['', 'category kNN', 'on map', 'archive kNN', 'on map', 'trust.', 'NMI cat.', 'NMI arch.', 'recall@10', 'topics', 's'];
    const widths = [34, 13, 8, 12, 8, 8, 9, 10, 16, 7, 6];
    const line = (cells: string[]) => out.push(cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('').trimEnd());
    line(head);
    for (const r of c.rows) {
      line([r.name, f3(r.category.embedding), f3(r.category.map), f3(r.archive.embedding), f3(r.archive.map), f3(r.trustworthiness), f3(r.category.nmi), f3(r.archive.nmi), `${f3(r.recall)}${r.recallVectors === null ? '' : ` (${f3(r.recallVectors)})`}`, String(r.topics), r.seconds.toFixed(0)]);
    }
  }
  const tfidf = (c: DevCorpusReport) => c.rows.find((r) => r.name === 'TF-IDF cosine')!;
  const best = (c: DevCorpusReport) => c.rows[0]!;
  const gains = report.corpora.map((c) => best(c).category.embedding - tfidf(c).category.embedding);
  out.push('', `${report.corpora[0]?.rows[0]?.name ?? ''} vs TF-IDF, category kNN: ${gains.map((g, i) => `${g >= 0 ? '+' : ''}${g.toFixed(3)} at ${report.corpora[i]!.papers}`).join(', ')}; mean ${gains.length ? (gains.reduce((a, b) => a + b, 0) / gains.length >= 0 ? '+' : '') + (gains.reduce((a, b) => a + b, 0) / gains.length).toFixed(3) : '–'}`);
  return out.join('\n');
}
