/**
 * npm run eval: what the map means, measured on a labeled corpus. The app's own pipeline
 * (workers/pipeline.ts: transformers.js on onnxruntime-web WASM → exact kNN → UMAP → topics) runs in
 * Node on the corpus, and so does a TF-IDF cosine baseline through the same kNN, UMAP and topics;
 * both are scored the same way against the labels.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readTable } from '../../src/corpus/import-read';
import { buildImport, guessColumns, ImportError } from '../../src/corpus/import';
import { paperText } from '../../src/corpus/text';
import { adjustedRandIndex, chanceAgreement, knnLabelAgreement, normalizedMutualInformation } from './eval/agreement';
import { exactCosineKnn, exactEuclideanKnn } from '../../src/math/knn/knn';
import { neighbourhoodPreservation } from './eval/quality';
import { tfidfVectors } from '../../src/math/text/tfidf';
import { COLOUR_LEVEL } from '../../src/math/topics/topics';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { DEFAULT_PIPELINE_PARAMS, type PipelineResult } from '../../src/pipeline/types';
import type { RunRequest, WorkerMessage } from '../../workers/messages';
import { nodeOrtUrl, useOnnxruntimeWeb } from './node-ort';

/** Neighbours per paper for label agreement, and for trustworthiness and continuity. */
export const AGREEMENT_K = 10;
export const LAYOUT_K = 15;

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface EvalOptions {
  /** The column (JSON key) holding each paper's label. */
  labelField?: string;
  modelId?: string;
  /** Folder of self-hosted models (<dir>/<org>/<name>/config.json); the app's public/models/ by default. */
  modelsDir?: string;
  /** Told what the run is doing, a line at a time. */
  onProgress?: (line: string) => void;
}

export interface LabeledCorpus {
  file: string;
  texts: string[];
  /** Label id of each paper, an index into labelNames. */
  labels: Int32Array;
  /** Most papers first. */
  labelNames: string[];
  /** Papers left out for having no label. */
  unlabeled: number;
  warnings: string[];
}

/** Reads a corpus file (CSV, JSON, JSONL) through the app's import code, with labels from `labelField`. */
export async function readLabeledCorpus(path: string, labelField = 'label'): Promise<LabeledCorpus> {
  const table = await readTable(createReadStream(path), { name: basename(path), total: (await stat(path)).size });
  if (table.papermap) throw new ImportError(`${basename(path)} is a Papermap corpus asset, which has no labels: evaluate a file with a "${labelField}" column.`);
  if (!table.columns.includes(labelField)) {
    throw new ImportError(`${basename(path)} has no column "${labelField}" (its columns are ${table.columns.map((c) => `"${c}"`).join(', ')}): name the label column with --label-field.`);
  }
  // Vectors or positions in the file are not used: the point is to compute them.
  const map = { ...guessColumns(table.columns.filter((c) => c !== labelField)), label: labelField, vector: null, x: null, y: null };
  const { corpus, warnings } = await buildImport(table, map);
  const labeled = corpus.papers.filter((p) => p.label);
  const unlabeled = corpus.papers.length - labeled.length;
  if (unlabeled > 0) warnings.push(`${unlabeled} paper${unlabeled > 1 ? 's' : ''} without a label ${unlabeled > 1 ? 'were' : 'was'} left out.`);
  const sizes = new Map<string, number>();
  for (const p of labeled) sizes.set(p.label!, (sizes.get(p.label!) ?? 0) + 1);
  const labelNames = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : 1));
  const id = new Map(labelNames.map((name, i) => [name, i]));
  return {
    file: path,
    texts: labeled.map(paperText),
    labels: Int32Array.from(labeled, (p) => id.get(p.label!)!),
    labelNames,
    unlabeled,
    warnings,
  };
}

export interface TopicReport {
  topic: number;
  size: number;
  /** Class-based TF-IDF terms, as the map labels the topic. */
  terms: string[];
  /** The most common label among the topic's papers, and its share of them. */
  majority: string;
  share: number;
  /** Other labels exactly as common (a topic that mixes labels evenly has no real majority). */
  tiedWith: string[];
}

export interface LevelReport {
  topics: number;
  /** Share of papers in some topic (the rest are noise). */
  coverage: number;
  /** Against the labels, with noise counted as one more group. */
  nmi: number;
  ari: number;
}

export interface RowReport {
  name: string;
  kind: 'model' | 'baseline';
  dims: number;
  /** Where the model ran; null for the baseline, which runs no model. */
  device: string | null;
  knnAgreement: { embedding: number; map: number };
  perLabel: { label: string; papers: number; embedding: number; map: number }[];
  trustworthiness: number;
  continuity: number;
  /** The level that colours the map, with its topics. */
  topics: LevelReport & { level: number; list: TopicReport[] };
  /** Every level, coarse to fine. */
  levels: LevelReport[];
  warnings: string[];
  seconds: number;
}

export interface EvalReport {
  corpus: { file: string; papers: number; labelField: string; labels: { label: string; papers: number }[]; unlabeled: number; warnings: string[] };
  k: { agreement: number; layout: number };
  /** kNN agreement of neighbours drawn at random. */
  chance: number;
  runtime: string;
  rows: RowReport[];
}

function levelReport(topics: Int32Array, labels: Int32Array): LevelReport {
  let covered = 0;
  for (const t of topics) if (t >= 0) covered++;
  const count = topics.reduce((m, t) => Math.max(m, t + 1), 0);
  return { topics: count, coverage: covered / topics.length, nmi: normalizedMutualInformation(topics, labels), ari: adjustedRandIndex(topics, labels) };
}

function topicList(result: PipelineResult, labels: Int32Array, labelNames: string[]): TopicReport[] {
  const level = result.levels[COLOUR_LEVEL]!;
  return level.terms.map(({ topic, size, terms }) => {
    const counts = new Array<number>(labelNames.length).fill(0);
    level.topics.forEach((t, i) => t === topic && counts[labels[i]!]!++);
    const best = counts.reduce((b, c, l) => (c > counts[b]! ? l : b), 0);
    const tiedWith = labelNames.filter((_, l) => l !== best && counts[l] === counts[best]);
    return { topic, size, terms, majority: labelNames[best]!, share: size > 0 ? counts[best]! / size : 0, tiedWith };
  });
}

function measure(name: string, kind: RowReport['kind'], result: PipelineResult, corpus: LabeledCorpus, seconds: number): RowReport {
  const { n, dims, embeddings, coords } = result;
  const { labels, labelNames } = corpus;
  const space = knnLabelAgreement(exactCosineKnn(embeddings, n, dims, AGREEMENT_K + 1), labels, AGREEMENT_K);
  const map = knnLabelAgreement(exactEuclideanKnn(coords, n, 2, AGREEMENT_K + 1), labels, AGREEMENT_K);
  const papers = labelNames.map((_, l) => labels.filter((x) => x === l).length);
  const levels = result.levels.map((level) => levelReport(level.topics, labels));
  return {
    name,
    kind,
    dims,
    device: result.device,
    knnAgreement: { embedding: space.overall, map: map.overall },
    perLabel: labelNames.map((label, l) => ({ label, papers: papers[l]!, embedding: space.perLabel[l]!, map: map.perLabel[l]! })),
    ...neighbourhoodPreservation(embeddings, dims, coords, 2, n, LAYOUT_K),
    topics: { level: COLOUR_LEVEL, ...levels[COLOUR_LEVEL]!, list: topicList(result, labels, labelNames) },
    levels,
    warnings: result.warnings,
    seconds,
  };
}

/** Runs the pipeline on the corpus with the model, then with TF-IDF vectors, and scores both. */
export async function evaluate(input: string | LabeledCorpus, options: EvalOptions = {}): Promise<EvalReport> {
  const labelField = options.labelField ?? 'label';
  const modelId = options.modelId ?? DEFAULT_MODEL_ID;
  const say = options.onProgress ?? (() => undefined);
  const corpus = typeof input === 'string' ? await readLabeledCorpus(input, labelField) : input;
  const n = corpus.texts.length;
  if (n <= 2 * LAYOUT_K) throw new ImportError(`${basename(corpus.file)} has ${n} labeled papers; the evaluation needs more than ${2 * LAYOUT_K}.`);
  if (corpus.labelNames.length < 2) throw new ImportError(`${basename(corpus.file)} has a single label ("${corpus.labelNames[0]}"): there is nothing to tell apart.`);

  await useOnnxruntimeWeb();
  // Imported only now: transformers.js must see onnxruntime-web when it first loads.
  const { runPipeline } = await import('../../workers/pipeline');
  const { env } = await import('@huggingface/transformers');
  const ortVersion = (env.backends.onnx as { versions?: Record<string, string> }).versions?.web ?? '?';

  const request: RunRequest = {
    type: 'run',
    texts: corpus.texts,
    modelId,
    modelsUrl: pathToFileURL(resolve(options.modelsDir ?? `${root}public/models`) + '/').href,
    ortUrl: nodeOrtUrl(),
    device: 'wasm',
    params: DEFAULT_PIPELINE_PARAMS,
    simulate: null,
    resume: null,
  };
  const emit = (message: WorkerMessage) => {
    if (message.type === 'stage-done') say(`  ${message.stage}: ${(message.ms / 1000).toFixed(1)} s`);
  };
  const timed = async (work: () => Promise<PipelineResult>) => {
    const start = performance.now();
    const result = await work();
    return { result, seconds: (performance.now() - start) / 1000 };
  };

  say(`${modelId} on ${n} papers (WASM)`);
  const model = await timed(() => runPipeline(request, emit));
  say(`TF-IDF cosine baseline on ${n} papers`);
  const baseline = await timed(async () => {
    const tfidf = tfidfVectors(corpus.texts);
    if (tfidf.dims < 2) throw new ImportError(`${basename(corpus.file)} has fewer than two words shared by two papers: TF-IDF has nothing to compare.`);
    return runPipeline({ ...request, given: { vectors: { data: tfidf.data, dims: tfidf.dims }, coords: null } }, emit);
  });

  return {
    corpus: {
      file: corpus.file,
      papers: n,
      labelField,
      labels: corpus.labelNames.map((label, l) => ({ label, papers: corpus.labels.filter((x) => x === l).length })),
      unlabeled: corpus.unlabeled,
      warnings: corpus.warnings,
    },
    k: { agreement: AGREEMENT_K, layout: LAYOUT_K },
    chance: chanceAgreement(corpus.labels),
    runtime: `transformers.js ${env.version} on onnxruntime-web ${ortVersion} (WASM), Node ${process.version}`,
    rows: [measure(modelId, 'model', model.result, corpus, model.seconds), measure('TF-IDF cosine', 'baseline', baseline.result, corpus, baseline.seconds)],
  };
}

const fixed = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

const majorityText = (t: TopicReport) => `${t.majority} (${fixed(t.share, 2)}${t.tiedWith.length > 0 ? `, tied with ${t.tiedWith.length}` : ''})`;

/** The report as text tables: the two rows side by side, then labels, then each row's topics. */
export function formatReport(report: EvalReport): string {
  const [model, baseline] = report.rows as [RowReport, RowReport];
  const { corpus } = report;
  const out: string[] = [];
  const width = Math.max(18, model.name.length, baseline.name.length) + 2;
  const line = (label: string, cells: string[]) => out.push((label.padEnd(34) + cells.map((c) => c.padStart(width)).join('')).trimEnd());
  out.push(`${corpus.file}: ${corpus.papers} papers, ${corpus.labels.length} labels (field "${corpus.labelField}")`);
  out.push(`${report.runtime}; baseline: TF-IDF of the same texts (${baseline.dims} terms) through the same kNN, UMAP and topics`);
  out.push('');
  line('', [model.name, baseline.name, 'chance']);
  line(`kNN label agreement (k = ${report.k.agreement})`, []);
  line('  in embedding space', [fixed(model.knnAgreement.embedding), fixed(baseline.knnAgreement.embedding), fixed(report.chance)]);
  line('  on the 2D map', [fixed(model.knnAgreement.map), fixed(baseline.knnAgreement.map), fixed(report.chance)]);
  line(`layout (k = ${report.k.layout})`, []);
  line('  trustworthiness', [fixed(model.trustworthiness), fixed(baseline.trustworthiness)]);
  line('  continuity', [fixed(model.continuity), fixed(baseline.continuity)]);
  line(`topics vs labels (level ${model.topics.level})`, []);
  line('  topics found', [String(model.topics.topics), String(baseline.topics.topics), `(${corpus.labels.length} labels)`]);
  line('  papers in a topic', [fixed(model.topics.coverage, 2), fixed(baseline.topics.coverage, 2)]);
  line('  NMI', [fixed(model.topics.nmi), fixed(baseline.topics.nmi)]);
  line('  adjusted Rand', [fixed(model.topics.ari), fixed(baseline.topics.ari)]);
  const perLevel = (row: RowReport, value: (l: LevelReport) => string) => row.levels.map(value).join(' / ');
  line(`every level, coarse / … / fine`, []);
  line('  topics found', [perLevel(model, (l) => String(l.topics)), perLevel(baseline, (l) => String(l.topics))]);
  line('  NMI', [perLevel(model, (l) => fixed(l.nmi, 2)), perLevel(baseline, (l) => fixed(l.nmi, 2))]);
  line('  adjusted Rand', [perLevel(model, (l) => fixed(l.ari, 2)), perLevel(baseline, (l) => fixed(l.ari, 2))]);
  line('seconds', [model.seconds.toFixed(1), baseline.seconds.toFixed(1)]);

  out.push('', `kNN label agreement by label, embedding space (2D map)`);
  const labelWidth = Math.max(...corpus.labels.map((l) => l.label.length), 5) + 2;
  out.push('  ' + 'label'.padEnd(labelWidth) + 'papers'.padStart(7) + model.name.padStart(width + 8) + baseline.name.padStart(width + 8));
  model.perLabel.forEach((m, l) => {
    const b = baseline.perLabel[l]!;
    const pair = (e: number, p: number) => `${fixed(e, 2)} (${fixed(p, 2)})`.padStart(width + 8);
    out.push('  ' + m.label.padEnd(labelWidth) + String(m.papers).padStart(7) + pair(m.embedding, m.map) + pair(b.embedding, b.map));
  });

  for (const row of report.rows) {
    out.push('', `Topics found with ${row.name} (level ${row.topics.level}: ${row.topics.topics} topics, ${fixed(row.topics.coverage, 2)} of papers)`);
    out.push('  ' + '#'.padStart(3) + 'size'.padStart(6) + '  ' + 'majority label (share)'.padEnd(labelWidth + 18) + 'top terms');
    for (const t of row.topics.list) {
      out.push(('  ' + String(t.topic).padStart(3) + String(t.size).padStart(6) + '  ' + majorityText(t).padEnd(labelWidth + 18) + t.terms.join(', ')).trimEnd());
    }
  }
  const warnings = [...corpus.warnings, ...report.rows.flatMap((r) => r.warnings.map((w) => `${r.name}: ${w}`))];
  if (warnings.length > 0) out.push('', ...warnings.map((w) => `warning: ${w}`));
  return out.join('\n');
}
