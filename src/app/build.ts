/**
 * Gets the map of a source: from the cache, from a map built ahead of time (the deploy's or a ?map=
 * bundle), or built by the pipeline worker while the current map stays; then stores it for next time.
 */
import { paperText } from '../corpus/text';
import { wasmThreads } from '../ort-files';
import { MAP_SCHEMA, mapKey, mapModelKey, type MapCache, type MapEntry } from '../cache/maps';
import { fetchPrebuilt } from '../cache/prebuilt';
import { startPipeline, type PipelineError, type PipelineRun } from '../pipeline/client';
import type { ProgressPanel } from '../ui/progress';
import type { LaunchParams } from '../url-state';
import { DEFAULT_PIPELINE_PARAMS, fileGeometry, type SimulatedFault, type Stage } from '../pipeline/types';
import { assetUrl, type AppState, type MapSource } from './state';
import type { Sources } from './sources';

export interface BuildHooks {
  /** Makes `source`, with its map `entry`, the one shown. */
  present(source: MapSource, modelId: string, entry: MapEntry): Promise<void>;
  /** The pipeline worker is at work and no map is shown: the map may prepare its first drawing meanwhile. */
  building(): void;
  /** Draws an intermediate layout (n × 2) while no map is shown yet. */
  preview(coords: Float32Array): void;
  /** The map is shown and its notes given: apply what the URL asks for, resolve `ready`. */
  opened(): Promise<void>;
  /** Nothing could be shown: say why (with a retry), reject `ready`. */
  fail(message: string, retry: () => void): void;
}

function deviceName(entry: MapEntry): string {
  const { device } = entry;
  return device === 'webgpu' ? 'WebGPU' : device === 'wasm' ? 'WASM' : entry.dims > 0 ? 'vectors from the file' : 'positions from the file';
}

export class MapBuilder {
  /** The map cache; null when IndexedDB cannot be used (maps are computed on every visit). */
  cache: MapCache | null = null;
  private run: PipelineRun | null = null;
  /** A fault to stage on the first run only (?simulate=…), so Retry shows the recovery. */
  private simulate: SimulatedFault | null;

  constructor(
    private readonly state: AppState,
    private readonly launch: LaunchParams,
    private readonly sources: Sources,
    private readonly progress: ProgressPanel,
    private readonly hooks: BuildHooks,
  ) {
    this.simulate = launch.simulate;
  }

  /** Opens the map of a corpus with a model: from the cache, or built while the current map stays. */
  async open(source: MapSource, t0 = performance.now(), modelId = this.state.modelId): Promise<boolean> {
    this.run?.cancel();
    const t1 = performance.now();
    const key = mapKey(source.corpus.hash, mapModelKey(modelId, source.given), DEFAULT_PIPELINE_PARAMS);
    const hit = this.cache ? await this.cache.read(key, source.corpus.papers.length) : null;
    this.state.timings.cache = performance.now() - t1;
    if (hit?.entry) {
      this.state.cached = true;
      this.state.ran = [];
      await this.hooks.present(source, modelId, hit.entry);
      this.progress.cached(performance.now() - t0, hit.entry.prebuilt ? 'ahead of time (npm run build-map)' : `on ${deviceName(hit.entry)}`);
      await this.opened();
      return true;
    }
    const why = hit && hit.reason !== 'not cached yet' ? hit.reason : null;
    if ((this.launch.prebuilt || this.sources.hasBundle) && (await this.openPrebuilt(source, modelId, key, t0))) return true;
    return this.build(source, modelId, key, why);
  }

  /** Computes the map shown in this browser (its prebuilt or cached copy is replaced). */
  async rebuild(): Promise<boolean> {
    const source = this.state.source();
    if (!source || !this.state.entry) return false;
    return this.build(source, this.state.modelId, this.state.entry.key);
  }

  /**
   * Shows the deploy's prebuilt map of this corpus and model, if it ships one (see cache/prebuilt.ts),
   * and keeps it in the cache: nothing is computed. False when there is none (the browser builds it).
   */
  private async openPrebuilt(source: MapSource, modelId: string, key: string, t0: number): Promise<boolean> {
    const t1 = performance.now();
    // A bundle the address named (?map=) first, else the deploy's own.
    const prebuilt = this.sources.takeBundle(key) ?? (await fetchPrebuilt(assetUrl('maps/'), key));
    if (!prebuilt) return false;
    if (prebuilt.problem !== null || prebuilt.entry.key !== key || prebuilt.corpus.hash !== source.corpus.hash) {
      this.state.notes.push(`${prebuilt.problem ?? 'The prebuilt map is of another corpus or model'}: the map is computed in this browser instead.`);
      return false;
    }
    this.state.timings.prebuilt = performance.now() - t1;
    this.state.cached = false;
    this.state.ran = [];
    await this.hooks.present(source, modelId, prebuilt.entry);
    this.progress.prebuilt(performance.now() - t0, modelId);
    await this.store(prebuilt.entry);
    await this.opened();
    return true;
  }

  /** Runs the pipeline; `why` says why the cache could not serve the map, when that is news to the user. */
  private async build(source: MapSource, modelId: string, key: string, why: string | null = null): Promise<boolean> {
    const { corpus, given } = source;
    const t0 = performance.now();
    const ran: Stage[] = [];
    const timings: Record<string, number> = {};
    this.state.error = null;
    this.progress.start(corpus.papers.length, () => this.run?.cancel());
    const simulate = this.simulate;
    this.simulate = null;
    if (why) this.progress.note(why, 'warning');
    const geometry = fileGeometry(given);
    if (geometry) this.progress.noModel(geometry === 'vectors' ? 'Vectors from the file: no model runs.' : 'Positions from the file: no model runs and nothing is embedded.');
    const file = 'from the file';
    this.progress.skip({
      ...(geometry ? { model: geometry === 'vectors' ? file : 'not needed', embed: geometry === 'vectors' ? file : 'not needed', fit: 'not needed' } : {}),
      ...(given?.coords ? { knn: file, layout: file } : {}),
    });
    const retry = () => void this.build(source, modelId, key);
    let started = false;
    const run = startPipeline(
      { type: 'run', modelId, modelsUrl: assetUrl('models/'), ortUrl: assetUrl('ort/'), device: this.launch.device, params: DEFAULT_PIPELINE_PARAMS, simulate, resume: null, given },
      { count: corpus.papers.length, text: (i) => paperText(corpus.papers[i]!) },
      (message) => {
        // Once the worker runs (not before: its start waits on this thread, which the map's first draw may hold).
        if (!started) {
          started = true;
          if (!this.state.entry) this.hooks.building();
        }
        if (message.type === 'device') this.progress.showDevice(message.choice, wasmThreads());
        else if (message.type === 'progress') this.progress.progress(message.stage, message.done, message.total, message.unit);
        else if (message.type === 'stage-done') {
          if (!ran.includes(message.stage)) ran.push(message.stage);
          timings[message.stage] = message.ms;
          this.progress.stageDone(message.stage, message.ms);
        } else if (message.type === 'stage-note') this.progress.stageNote(message.stage, message.text);
        else if (message.type === 'stage-skipped') this.progress.skip({ [message.stage]: message.reason });
        else if (message.type === 'gpu-failed') this.progress.note(message.reason, 'warning');
        else if (message.type === 'layout-preview' && !this.state.entry) this.hooks.preview(message.coords);
      },
    );
    this.run = run;
    let result;
    try {
      result = await run.result;
    } catch (error) {
      const e = error as PipelineError;
      const stays = this.state.entry ? ' The previous map stays.' : '';
      if (e.kind === 'cancelled') {
        // A newer run replaced this one: it reports for itself.
        if (this.run !== run) return false;
        this.progress.fail(this.state.entry ? 'Cancelled: the previous map stays.' : 'Cancelled before the map was built.', retry);
        this.state.error = 'cancelled';
        return false;
      }
      const where = e.kind === 'failed' && e.stage ? `Failed while ${e.stage === 'model' ? `loading the model ${modelId}` : `computing ${e.stage}`}: ` : '';
      this.hooks.fail(`${where}${e.message}${stays}`, retry);
      return false;
    } finally {
      if (this.run === run) this.run = null;
    }
    const entry: MapEntry = { key, schema: MAP_SCHEMA, corpusHash: corpus.hash, modelId: mapModelKey(modelId, given), params: DEFAULT_PIPELINE_PARAMS, ...result, createdAt: new Date().toISOString() };
    this.state.cached = false;
    this.state.ran = ran;
    Object.assign(this.state.timings, timings);
    await this.hooks.present(source, modelId, entry);
    this.progress.finish(performance.now() - t0);
    for (const warning of entry.warnings) this.progress.note(warning, 'warning');
    await this.store(entry);
    await this.opened();
    return true;
  }

  private async store(entry: MapEntry): Promise<void> {
    if (!this.cache) return;
    const written = await this.cache.write(entry);
    if (!written.stored) this.state.cacheProblem = `The map is not saved for next time: ${written.reason}`;
  }

  /** Notes that belong to the map just opened (why the URL's corpus could not be used, storage problems), then the URL's state. */
  private async opened(): Promise<void> {
    for (const note of this.state.notes.splice(0)) this.progress.note(note, 'warning');
    if (this.state.cacheProblem) this.progress.note(this.state.cacheProblem, 'warning');
    await this.hooks.opened();
  }
}
