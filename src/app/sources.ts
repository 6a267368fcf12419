/**
 * Where a map's corpus comes from: the shipped corpus, a file imported earlier (kept in IndexedDB),
 * a corpus file at a URL, or a map bundle at a URL. Whatever cannot be opened is reported as a
 * note (shown with the map) and something that can be opened is returned instead: nothing is lost.
 */
import { loadCorpus } from '../corpus/load';
import type { Corpus } from '../corpus/types';
import type { CorpusStore, StoredCorpus } from '../cache/corpora';
import { writeFailure } from '../cache/db';
import { fetchMapBundle, bundleGeometry } from '../cache/prebuilt';
import type { DecodedBundle } from '../cache/map-bundle';
import { CorpusImport } from '../corpus/import-client';
import type { ImportResult } from '../corpus/import';
import type { LaunchParams } from '../url-state';
import { assetUrl, sourceOf, type AppState, type MapSource } from './state';

function fileName(absolute: string): string {
  return decodeURIComponent(new URL(absolute).pathname.split('/').pop() || absolute);
}

export class Sources {
  private shippedCorpus: Promise<Corpus> | null = null;
  /** The bundle the address named (?map=), until its map is shown. */
  private bundled: DecodedBundle | null = null;

  constructor(
    private readonly state: AppState,
    private readonly corpora: () => CorpusStore | null,
  ) {}

  /** Starts loading the shipped corpus when the address asks for no other, so it arrives while the cache opens. */
  prefetch(launch: LaunchParams): void {
    if (!launch.bundle && !launch.corpus) void this.shipped().catch(() => undefined);
  }

  /** The corpus the address asks for (?map=<url>, ?corpus=local:<hash> or ?corpus=<url>), else the shipped one. */
  async initial(launch: LaunchParams): Promise<MapSource> {
    if (launch.bundle) {
      const source = await this.bundle(launch.bundle);
      if (source) return source;
    }
    const param = launch.corpus;
    if (!param) return this.shipped();
    const source = param.startsWith('local:') ? await this.stored(param.slice(6)) : await this.url(param);
    // ?embed=1: the texts of a file with its own positions were embedded too.
    if (source?.given?.coords && launch.embed) source.given.embed = true;
    if (source) return source;
    this.state.notes.push(param.startsWith('local:') ? 'The imported corpus in this link is not in this browser (it was deleted, or imported elsewhere): showing the shipped corpus.' : `Showing the shipped corpus instead.`);
    return this.shipped();
  }

  async shipped(): Promise<MapSource> {
    this.shippedCorpus ??= loadCorpus(assetUrl('corpus/corpus.json'));
    // A failed load may succeed next time (the network came back).
    this.shippedCorpus.catch(() => (this.shippedCorpus = null));
    return { corpus: await this.shippedCorpus, given: null, param: null, name: 'Shipped corpus' };
  }

  async stored(hash: string): Promise<MapSource | null> {
    const stored = await this.corpora()?.get(hash);
    return stored ? sourceOf(stored) : null;
  }

  /** The bundle the address named, once, if its map is the one asked for (`key`). */
  takeBundle(key: string): DecodedBundle | null {
    const bundled = this.bundled?.entry?.key === key ? this.bundled : null;
    this.bundled = null;
    return bundled;
  }

  get hasBundle(): boolean {
    return this.bundled !== null;
  }

  /** Keeps an imported file and returns it as a source. */
  async imported(result: ImportResult, name: string): Promise<MapSource> {
    const record = await this.keep(result, name, { kind: 'file', name });
    return { corpus: record.corpus, given: { vectors: record.vectors, coords: record.coords }, param: `local:${record.hash}`, name };
  }

  /**
   * A map bundle from a URL (npm run build-map's output, hosted anywhere): its corpus is kept like an
   * imported one and its map is shown as it came, nothing computed. Offline, the copy kept from an
   * earlier visit opens instead; a bundle that cannot be used is reported and the shipped corpus shown.
   */
  private async bundle(url: string): Promise<MapSource | null> {
    const absolute = assetUrl(url);
    const bundle = await fetchMapBundle(absolute, url);
    if (bundle.problem !== null) {
      const kept = (await this.corpora()?.fromUrl(absolute)) ?? null;
      this.state.notes.push(kept ? `${bundle.problem} Showing the copy kept from ${kept.importedAt.slice(0, 10)}.` : `${bundle.problem}. Showing the shipped corpus instead.`);
      return kept ? { ...sourceOf(kept), param: `local:${kept.hash}` } : null;
    }
    const { modelId, given } = bundleGeometry(bundle.entry);
    const record = await this.keep({ corpus: bundle.corpus, vectors: given?.vectors ?? null, coords: given?.coords ?? null, warnings: [] }, fileName(absolute), { kind: 'url', url: absolute });
    if (modelId) this.state.modelId = modelId;
    this.bundled = bundle;
    return { ...sourceOf(record), given, param: `local:${record.hash}` };
  }

  /** Imports a corpus file from a URL and keeps it, falling back to the copy kept from an earlier visit when offline. */
  private async url(url: string): Promise<MapSource | null> {
    const absolute = assetUrl(url);
    const job = new CorpusImport(absolute);
    let stored: StoredCorpus | null;
    try {
      const { guess } = await job.columns;
      stored = await this.keep(await job.build(guess), fileName(absolute), { kind: 'url', url: absolute });
    } catch (error) {
      stored = (await this.corpora()?.fromUrl(absolute)) ?? null;
      // The address as the user wrote it, not as the worker resolved it against the page.
      const reason = (error instanceof Error ? error.message : String(error)).replaceAll(absolute, url);
      const said = reason.startsWith(url) ? reason : `The corpus at ${url} could not be loaded: ${reason}`;
      this.state.notes.push(stored ? `${said} Showing the copy kept from ${stored.importedAt.slice(0, 10)}.` : said);
    } finally {
      job.close();
    }
    return stored ? { ...sourceOf(stored), param: url } : null;
  }

  /**
   * Keeps an imported corpus in IndexedDB so its map reopens (offline too) and is listed. A failed
   * write is reported and the import still opens; nothing stored before is touched.
   */
  private async keep(result: ImportResult, name: string, source: StoredCorpus['source']): Promise<StoredCorpus> {
    const record: StoredCorpus = { hash: result.corpus.hash, name, source, importedAt: new Date().toISOString(), corpus: result.corpus, vectors: result.vectors, coords: result.coords };
    for (const warning of result.warnings) this.state.notes.push(warning);
    try {
      const corpora = this.corpora();
      if (!corpora) throw new Error('IndexedDB is not available');
      await corpora.put(record);
    } catch (error) {
      // A URL's corpus is fetched again on the next visit; what is lost is its copy for offline use.
      const after = source.kind === 'url' ? 'it is fetched again on the next visit, and will not open offline' : 'it will need importing again after a reload';
      this.state.notes.push(`${name} is not kept in this browser (${writeFailure(error)}): ${after}.`);
    }
    return record;
  }
}
