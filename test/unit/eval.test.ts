import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatReport, readLabeledCorpus, type EvalReport, type RowReport } from '../../scripts/lib/eval';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { DEFAULT_CORPUS_FIT } from '../../src/model/corpus-fit';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;
const fixture = `${root}test/fixtures/eval/fields.jsonl`;
const FIELDS = ['astronomy', 'computer vision', 'economics', 'molecular biology', 'natural language processing', 'reinforcement learning'];

const MODEL_DIMS = (JSON.parse(readFileSync(`${root}public/models/${DEFAULT_MODEL_ID}/config.json`, 'utf8')) as { hidden_size: number }).hidden_size;

const inUnitRange = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

function expectSaneRow(row: RowReport, labels: string[], papers: number): void {
  expect(inUnitRange(row.knnAgreement.embedding)).toBe(true);
  expect(inUnitRange(row.knnAgreement.map)).toBe(true);
  expect(inUnitRange(row.trustworthiness)).toBe(true);
  expect(inUnitRange(row.continuity)).toBe(true);
  expect(row.perLabel.map((l) => l.label).sort()).toEqual([...labels].sort());
  for (const level of [row.topics, ...row.levels]) {
    expect(level.topics).toBeGreaterThan(0);
    expect(inUnitRange(level.coverage)).toBe(true);
    expect(inUnitRange(level.nmi)).toBe(true);
    expect(level.ari).toBeGreaterThanOrEqual(-1);
    expect(level.ari).toBeLessThanOrEqual(1);
  }
  expect(row.topics.list.length).toBe(row.topics.topics);
  expect(row.topics.list.reduce((s, t) => s + t.size, 0)).toBe(Math.round(row.topics.coverage * papers));
  for (const topic of row.topics.list) {
    expect(labels).toContain(topic.majority);
    // The majority label holds at least an even share of the topic.
    expect(topic.share).toBeGreaterThanOrEqual(1 / labels.length);
    expect(topic.share).toBeLessThanOrEqual(1);
    expect(topic.terms.length).toBeGreaterThan(0);
  }
}

describe('npm run eval on the labeled fixture', () => {
  let report: EvalReport;
  beforeAll(async () => {
    report = await evaluate(fixture);
  });

  it('reads the corpus and its labels through the import code', async () => {
    const corpus = await readLabeledCorpus(fixture);
    expect(corpus.texts.length).toBe(96);
    expect([...corpus.labelNames].sort()).toEqual(FIELDS);
    expect(report.corpus.labels.every((l) => l.papers === 16)).toBe(true);
    expect(report.chance).toBeCloseTo((6 * 16 * 15) / (96 * 95), 12);
  });

  it('scores the embedded model, run on WASM, and the TF-IDF baseline the same way', () => {
    const [model, baseline] = report.rows as [RowReport, RowReport];
    // The model's own dimensions, then the fit to the corpus's.
    expect(model).toMatchObject({ name: DEFAULT_MODEL_ID, kind: 'model', device: 'wasm', dims: MODEL_DIMS + DEFAULT_CORPUS_FIT.dims });
    expect(baseline).toMatchObject({ kind: 'baseline', device: null });
    expect(report.runtime).toMatch(/onnxruntime-web .*\(WASM\)/);
    for (const row of report.rows) expectSaneRow(row, FIELDS, 96);
    // Both spaces group same-field papers more often than neighbours drawn at random would.
    expect(model.knnAgreement.embedding).toBeGreaterThan(report.chance);
    expect(baseline.knnAgreement.embedding).toBeGreaterThan(report.chance);
  });

  it('prints a table with both rows and each topic’s majority label', () => {
    const text = formatReport(report);
    expect(text).toMatch(/in embedding space +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}/);
    expect(text).toContain(`Topics found with ${DEFAULT_MODEL_ID}`);
    expect(text).toContain('Topics found with TF-IDF cosine');
    for (const topic of report.rows[0]!.topics.list) expect(text).toContain(`${topic.majority} (${topic.share.toFixed(2)}`);
  });

  it('says which label column is missing', async () => {
    await expect(evaluate(fixture, { labelField: 'venue' })).rejects.toThrow(/no column "venue".*--label-field/);
  });
});

describe('the eval command line', () => {
  it('writes the report as JSON with --json, labels from --label-field', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', fixture, '--json', '--label-field', 'domain'], { cwd: root, maxBuffer: 1 << 24 });
    const report = JSON.parse(stdout) as EvalReport;
    expect(report.corpus.labelField).toBe('domain');
    expect(report.corpus.labels).toEqual([
      { label: 'machine learning', papers: 48 },
      { label: 'other sciences', papers: 48 },
    ]);
    expect(report.rows.map((r) => r.kind)).toEqual(['model', 'baseline']);
    for (const row of report.rows) expectSaneRow(row, ['machine learning', 'other sciences'], 96);
  });
});
