/**
 * The layering rules of ARCHITECTURE.md, checked on the source: what ships (src/ + workers/) is
 * exactly what the app's entry points reach, nothing there imports build or test code, the pure
 * layers import nothing of the page, and no module grows past what a newcomer can read at once.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
/** Where the bundle starts: the page, and every worker it spawns. */
const ENTRIES = ['src/main.ts', ...readdirSync(join(ROOT, 'workers')).filter((f) => f.endsWith('.worker.ts')).map((f) => `workers/${f}`)];
/** Longest module, in lines (ARCHITECTURE.md: "one concept per module"). */
const MAX_LINES = 350;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The repo-relative files a module imports (static, dynamic, re-exports and `new URL(…)` workers). */
export function importsOf(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => {
    const target = relative(ROOT, resolve(dirname(join(ROOT, path)), spec));
    return target.endsWith('.ts') || target.endsWith('.css') ? target : `${target}.ts`;
  });
}

const shipped = [...sources('src'), ...sources('workers')];
const graph = new Map(shipped.map((path) => [path, importsOf(path)]));

function reachable(): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !graph.has(path)) return;
    seen.add(path);
    for (const next of graph.get(path)!) visit(next);
  };
  ENTRIES.forEach(visit);
  return seen;
}

/** Layers and what they must not import (prefixes of repo paths). */
const RULES: [layer: string, forbidden: string[]][] = [
  ['src/', ['scripts/', 'test/']],
  ['workers/', ['scripts/', 'test/', 'src/ui/', 'src/map/', 'src/app/', 'src/selection/']],
  ['src/math/', ['src/map/', 'src/ui/', 'src/cache/', 'src/app/', 'src/selection/', 'src/search/', 'src/corpus/', 'workers/']],
  ['src/model/', ['src/map/', 'src/ui/', 'src/cache/', 'src/app/', 'src/selection/', 'workers/']],
  ['src/corpus/', ['src/map/', 'src/ui/', 'src/app/', 'src/selection/']],
  ['src/cache/', ['src/ui/', 'src/app/', 'src/selection/']],
  ['src/map/', ['src/ui/', 'src/app/', 'src/selection/', 'src/cache/']],
  ['src/pipeline/', ['src/map/', 'src/ui/', 'src/app/', 'src/selection/']],
  ['src/search/', ['src/map/', 'src/ui/', 'src/app/', 'src/selection/', 'src/cache/']],
  ['src/ui/', ['src/app/']],
  ['src/selection/', ['src/app/']],
];

describe('architecture', () => {
  it('ships exactly what the entry points reach: no build-, eval- or test-only module in src/ or workers/', () => {
    const reached = reachable();
    expect(shipped.filter((path) => !reached.has(path))).toEqual([]);
  });

  it.each(RULES)('%s imports nothing from the layers it must not', (layer, forbidden) => {
    const broken = [...graph].flatMap(([path, imports]) => (path.startsWith(layer) ? imports.filter((i) => forbidden.some((f) => i.startsWith(f))).map((i) => `${path} -> ${i}`) : []));
    expect(broken).toEqual([]);
  });

  it(`keeps every module in src/ and workers/ under ${MAX_LINES} lines`, () => {
    const long = shipped.map((path) => [path, readFileSync(join(ROOT, path), 'utf8').split('\n').length] as const).filter(([, lines]) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('finds the imports it checks (the rules above cannot pass by reading nothing)', () => {
    expect(graph.get('src/main.ts')).toContain('src/app/app.ts');
    expect(reachable().size).toBeGreaterThan(60);
    expect(importsOf('src/app/app.ts').length).toBeGreaterThan(10);
  });
});

describe('the self-hosted onnxruntime-web', () => {
  it('names its offline cache by the version installed, so a deploy with another runtime never reads old files', async () => {
    const { ORT_CACHE, ORT_VERSION, ORT_FILES } = await import('../../src/ort-files');
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/onnxruntime-web/package.json'), 'utf8')) as { version: string };
    expect(ORT_VERSION).toBe(installed.version);
    expect(ORT_CACHE).toContain(installed.version);
    for (const file of Object.values(ORT_FILES)) expect(statSync(join(ROOT, 'node_modules/onnxruntime-web/dist', file)).isFile()).toBe(true);
  });
});
