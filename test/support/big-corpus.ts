/**
 * Big corpus files for scale tests and the render benchmark: CSV rows of id, title, abstract and the
 * file's own x/y (so the map skips UMAP), seeded. Papers fall in Gaussian clusters, and each cluster's
 * text leans on its own handful of words sampled from the shipped corpus, so topics get real labels.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaussian, mulberry32 } from '../../src/math/random';

const SHIPPED = new URL('../../public/corpus/corpus.json', import.meta.url).pathname;

export interface BigCorpusOptions {
  n: number;
  seed?: number;
  clusters?: number;
  /** Added to every position, e.g. [1e6, 1e6] for a file in far-off coordinates. */
  origin?: [number, number];
  /** Radius of the disc the cluster centres lie on (cluster spread is a tenth of it). */
  radius?: number;
}

/** Distinct lower-case words of four or more letters from the shipped corpus' titles and abstracts. */
export async function vocabulary(): Promise<string[]> {
  const corpus = JSON.parse(await readFile(SHIPPED, 'utf8')) as { papers: { title: string; abstract: string }[] };
  const words = new Set<string>();
  for (const p of corpus.papers) for (const w of `${p.title} ${p.abstract}`.toLowerCase().match(/[a-z]{4,}/g) ?? []) words.add(w);
  return [...words].sort();
}

/** Writes the corpus to `path`; resolves with the position of every paper (row order, float64). */
export async function writeBigCorpus(path: string, options: BigCorpusOptions): Promise<Float64Array> {
  const { n, seed = 7, clusters = 24, origin = [0, 0], radius = 20 } = options;
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const vocab = await vocabulary();
  const pick = (from: string[]) => from[Math.floor(random() * from.length)]!;
  const topics = Array.from({ length: clusters }, (_, c) => {
    const angle = (2 * Math.PI * c) / clusters + random();
    const r = radius * Math.sqrt(random());
    return { cx: r * Math.cos(angle), cy: r * Math.sin(angle), spread: radius * (0.04 + 0.08 * random()), words: Array.from({ length: 6 }, () => pick(vocab)) };
  });
  const positions = new Float64Array(2 * n);
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('id,title,abstract,x,y\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const topic = topics[Math.floor(random() * clusters)]!;
    const x = origin[0] + topic.cx + topic.spread * normal();
    const y = origin[1] + topic.cy + topic.spread * normal();
    positions[2 * i] = x;
    positions[2 * i + 1] = y;
    const title = [pick(topic.words), pick(vocab), pick(topic.words), pick(vocab)].join(' ');
    const abstract = [pick(vocab), pick(topic.words), pick(vocab), pick(topic.words), pick(vocab), pick(topic.words)].join(' ');
    chunk += `p${i},${title} ${i},${abstract},${x},${y}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return positions;
}

/**
 * The corpus for these options as a file in the OS temp folder, written on first use and reused (a
 * million rows take ~20 s to write), with the positions of its papers (kept beside it, as float64).
 */
export async function cachedBigCorpus(options: BigCorpusOptions): Promise<{ path: string; positions: Float64Array }> {
  const dir = join(tmpdir(), 'papermap-big-corpus');
  await mkdir(dir, { recursive: true });
  const { n, seed = 7, clusters = 24, origin = [0, 0], radius = 20 } = options;
  const path = join(dir, `papers-${n}-s${seed}-c${clusters}-o${origin.join('_')}-r${radius}.csv`);
  if (!existsSync(path) || !existsSync(`${path}.xy`)) {
    // Written under temporary names, so an interrupted run leaves no half file to be reused.
    const positions = await writeBigCorpus(`${path}.part`, options);
    await writeFile(`${path}.xy`, new Uint8Array(positions.buffer));
    await rename(`${path}.part`, path);
    return { path, positions };
  }
  const bytes = await readFile(`${path}.xy`);
  return { path, positions: new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}
