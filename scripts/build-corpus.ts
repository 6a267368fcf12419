/**
 * data/seeds/*.txt -> public/corpus/corpus.json. Deterministic: the same seeds give the same bytes.
 * Usage: npm run build-corpus [-- --check]   (--check fails if the committed asset is out of date)
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildCorpus } from './lib/seeds/build';

const root = new URL('..', import.meta.url).pathname;
const seedsDir = join(root, 'data/seeds');
const outFile = join(root, 'public/corpus/corpus.json');

const pages = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({ id: basename(f, '.txt'), text: readFileSync(join(seedsDir, f), 'utf8') }));

const { skipped, ...corpus } = await buildCorpus(pages);
const json = JSON.stringify(corpus, null, 1) + '\n';
const records = corpus.sources.reduce((n, s) => n + s.records, 0);
console.log(`${pages.length} pages, ${records} records, ${corpus.papers.length} unique papers, hash ${corpus.hash.slice(0, 12)}`);
for (const [page, parts] of Object.entries(skipped)) {
  console.warn(`  ${page}: ${parts.length} paragraph(s) not read as a paper: ${parts.map((p) => JSON.stringify(p.slice(0, 60))).join(', ')}`);
}

if (process.argv.includes('--check')) {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (current !== json) {
    console.error(`${outFile} is out of date: run npm run build-corpus`);
    process.exit(1);
  }
  console.log('corpus asset is up to date');
} else {
  mkdirSync(join(root, 'public/corpus'), { recursive: true });
  writeFileSync(outFile, json);
  console.log(`wrote ${outFile}`);
}
