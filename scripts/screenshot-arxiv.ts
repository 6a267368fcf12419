/**
 * The README's picture of the embedded model on papers it never saw: 1,200 development papers of eight
 * arXiv categories (scripts/lib/arxiv.ts), imported with ?corpus= like a user's file, coloured by category.
 * Usage: npm run build && npx tsx scripts/screenshot-arxiv.ts [out-dir]
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArxiv, splitByPaper, primaryCategory } from './lib/arxiv';
import { drawPapers } from './lib/eval-dev';
import { launchChromium, serveDist, waitReady } from '../test/browser/harness';
const out = process.argv[2] ?? 'test/screenshots';
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'papermap-arxiv-'));
cpSync('dist', dir, { recursive: true });
const { dev } = splitByPaper(readArxiv());
const cats = new Set(['cs.CV', 'cs.CL', 'cs.RO', 'math.AP', 'quant-ph', 'cond-mat.mtrl-sci', 'eess.SY', 'cs.CR']);
const papers = drawPapers(dev.filter((p) => cats.has(primaryCategory(p))), 1200, 7);
writeFileSync(`${dir}/arxiv-sample.jsonl`, papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, date: p.date, label: primaryCategory(p) })).join('\n'));
const server = await serveDist({ root: dir });
const browser = await launchChromium('wasm');
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })).newPage();
await page.goto(`${server.url}?device=wasm&corpus=arxiv-sample.jsonl`);
await waitReady(page);
await page.locator('#progress button', { hasText: 'Hide' }).click().catch(() => undefined);
await page.waitForTimeout(500);
const s = await page.evaluate(() => window.papermap.state());
console.log(JSON.stringify({ papers: s.papers, corpusFit: s.corpusFit, topics: s.topics.filter((t) => t.level === 1).map((t) => `${t.label} (${t.size})`) }, null, 1));
await page.locator('#legend select').selectOption('label').catch((e) => console.error('no label colouring', String(e).slice(0, 100)));
await page.waitForTimeout(500);
await page.screenshot({ path: join(out, 'arxiv-sample-dark.png') });
await browser.close();
await server.close();
