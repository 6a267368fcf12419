/**
 * npm run bench: each figure is a ratio against a baseline measured in the same run, on the same
 * inputs, so the shared machine's speed cancels out. Each case runs in its own process (clean peak
 * memory). Prints a table and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');

interface CaseResult {
  case: string;
  n: number;
  runs: number[];
  maxRssMB: number;
  [extra: string]: unknown;
}

function run(name: string, n: number, runs: number): CaseResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench-case.ts'), name, String(n), String(runs)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(0) : ms.toFixed(0));

const comparisons: { what: string; ours: CaseResult; baseline: CaseResult; note: string }[] = [];

const lassoN = quick ? 200_000 : 1_000_000;
comparisons.push({
  what: `lasso, 200-vertex polygon, ${lassoN.toLocaleString()} points`,
  ours: run('lasso-index', lassoN, 7),
  baseline: run('lasso-naive', lassoN, 7),
  note: 'grid index vs testing every point (same selection)',
});
const layoutN = quick ? 500 : 2000;
comparisons.push({
  what: `layout (kNN + UMAP), ${layoutN.toLocaleString()} × 64-d vectors`,
  ours: run('layout-ours', layoutN, 3),
  baseline: run('layout-umapjs', layoutN, 3),
  note: 'exact kNN + PCA-initialised umap-js vs plain umap-js (NN-descent, random init)',
});

const rows = comparisons.map(({ what, ours, baseline, note }) => {
  const o = median(ours.runs);
  const b = median(baseline.runs);
  return {
    what,
    n: ours.n,
    runs: ours.runs.length,
    oursMedianMs: o,
    baselineMedianMs: b,
    speedup: b / o,
    oursPeakMB: ours.maxRssMB,
    baselinePeakMB: baseline.maxRssMB,
    note,
    ...(ours.trustworthiness !== undefined ? { oursTrustworthiness: ours.trustworthiness, baselineTrustworthiness: baseline.trustworthiness } : {}),
    ...(ours.selected !== undefined ? { sameResult: ours.selected === baseline.selected, indexBuildMs: ours.indexBuildMs } : {}),
  };
});

console.log(`\nPapermap benchmarks (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})\n`);
for (const r of rows) {
  console.log(`${r.what}  [N = ${r.n.toLocaleString()}, ${r.runs} runs, medians]`);
  console.log(`  ours      ${fmt(r.oursMedianMs).padStart(8)} ms   peak ${r.oursPeakMB} MB`);
  console.log(`  baseline  ${fmt(r.baselineMedianMs).padStart(8)} ms   peak ${r.baselinePeakMB} MB   (${r.note})`);
  console.log(`  ratio     baseline / ours = ${r.speedup.toFixed(1)}×`);
  if ('oursTrustworthiness' in r) console.log(`  trustworthiness (k = 15): ours ${(r.oursTrustworthiness as number).toFixed(3)}, baseline ${(r.baselineTrustworthiness as number).toFixed(3)}`);
  if ('sameResult' in r) console.log(`  same selection: ${r.sameResult}; index built once per map in ${fmt(r.indexBuildMs as number)} ms`);
  console.log('');
}

mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.json'), JSON.stringify({ machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, quick, results: rows }, null, 2) + '\n');
console.log('wrote bench/results.json');
