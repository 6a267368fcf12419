/**
 * npm run bench:gpu:record -- <folder>: keeps a device run's results (the files its $OUT brought
 * back: results.jsonl, summary.txt) in bench/gpu-results.json, with the date and the adapter. A run
 * on a software adapter (a dry run) is not a GPU measurement and is refused.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir || !existsSync(join(dir, 'results.jsonl'))) {
  console.error('usage: npm run bench:gpu:record -- <folder holding results.jsonl from scripts/gpu/run.sh>');
  process.exit(2);
}
const results = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
const probe = results.find((r) => r.kind === 'adapter');
const adapter = probe?.adapters.find((a: any) => a.info)?.info;
if (!adapter || adapter.isFallbackAdapter) {
  console.error(`${dir}: ${adapter ? `a software adapter (${adapter.description})` : 'no adapter'}: not a GPU measurement, not recorded`);
  process.exit(1);
}
const summary = existsSync(join(dir, 'summary.txt')) ? readFileSync(join(dir, 'summary.txt'), 'utf8').trim().split('\n') : [];
// PM_GPU_RESULTS: another file to write (the unit test's).
const file = process.env.PM_GPU_RESULTS ?? new URL('../../bench/gpu-results.json', import.meta.url).pathname;
writeFileSync(file, JSON.stringify({ date: probe.at.slice(0, 10), adapter, cpus: probe.cpus, cpuModel: probe.cpuModel, summary, results }, null, 1) + '\n');
console.log(`wrote bench/gpu-results.json (${adapter.vendor} ${adapter.description}, ${probe.at.slice(0, 10)}):\n${summary.join('\n')}`);
