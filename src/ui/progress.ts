/**
 * The pipeline panel: each stage with its count (embed n/N, layout epoch e/E), a bar, and its time;
 * the device in use; cancel while running; the error and a retry button when a run fails.
 * Once the map is ready it folds to its one-line heading (reopened by its button), so it does not sit
 * on the map; a warning or a failure keeps it open.
 */
import { STAGES, type DeviceChoice, type Stage } from '../pipeline/types';
import { byId, el, foldButton, formatMs, setFolded } from './dom';

const STAGE_NAMES: Record<Stage, string> = {
  model: 'Load model',
  embed: 'Embed papers',
  fit: 'Fit to this corpus',
  knn: 'Nearest neighbours',
  layout: 'Layout (UMAP)',
  topics: 'Find topics',
};

const COUNT_NAMES: Partial<Record<Stage, string>> = { embed: 'papers', layout: 'epochs', knn: 'rows' };

interface Row {
  root: HTMLLIElement;
  detail: HTMLSpanElement;
  bar: HTMLSpanElement;
}

export class ProgressPanel {
  private readonly root = byId('progress');
  private rows = new Map<Stage, Row>();
  private readonly heading = el('h3');
  private readonly device = el('p', { className: 'device' });
  private readonly notes = el('div', { className: 'notes' });
  private readonly actions = el('div', { className: 'actions' });

  /** `onStatus` hears every heading, so the page can say the same, in the same words, elsewhere (the top bar). */
  constructor(private readonly onStatus: (status: string) => void = () => undefined) {
    this.root.replaceChildren(el('header', {}, this.heading, foldButton(this.root, 'the build details')), this.device, el('ol', { className: 'stages' }), this.notes, this.actions);
  }

  /** Folds the panel to its heading once the map is ready, unless a note there is worth reading. */
  settle(): void {
    setFolded(this.root, this.notes.querySelector('.warning, .error') === null);
  }

  private list(): HTMLElement {
    return this.root.querySelector('ol.stages')!;
  }

  private setHeading(text: string): void {
    this.heading.textContent = text;
    this.onStatus(text);
  }

  private setActions(...buttons: HTMLButtonElement[]): void {
    this.actions.replaceChildren(...buttons);
  }

  start(papers: number, onCancel: () => void): void {
    this.root.hidden = false;
    this.root.dataset.state = 'running';
    setFolded(this.root, false);
    this.setHeading(`Building the map of ${papers.toLocaleString('en')} papers…`);
    this.device.textContent = 'Choosing a device…';
    this.notes.replaceChildren();
    this.rows = new Map(
      STAGES.map((stage) => {
        const detail = el('span', { className: 'detail' });
        const bar = el('span', { className: 'bar' });
        const root = el('li', { attrs: { 'data-stage': stage, 'data-status': 'pending' } }, el('span', { className: 'name', text: STAGE_NAMES[stage] }), detail, el('span', { className: 'track' }, bar));
        return [stage, { root, detail, bar }];
      }),
    );
    this.list().replaceChildren(...[...this.rows.values()].map((r) => r.root));
    const cancel = el('button', { className: 'button', text: 'Cancel' });
    cancel.addEventListener('click', onCancel);
    this.setActions(cancel);
  }

  showDevice(choice: DeviceChoice, threads: number): void {
    this.device.textContent = deviceLine(choice, threads);
    this.root.dataset.device = choice.device;
  }

  note(text: string, kind: 'info' | 'warning' = 'info'): void {
    this.root.hidden = false;
    this.notes.append(el('p', { className: `note ${kind}`, text }));
    if (kind === 'warning') setFolded(this.root, false);
  }

  progress(stage: Stage, done: number, total: number, unitName?: string): void {
    const row = this.rows.get(stage);
    if (!row) return;
    for (const [s, r] of this.rows) if (s !== stage && r.root.dataset.status === 'running') r.root.dataset.status = 'done';
    row.root.dataset.status = 'running';
    const unit = unitName ?? COUNT_NAMES[stage];
    row.detail.textContent = unit ? `${done.toLocaleString()} / ${total.toLocaleString()} ${unit}` : '';
    row.bar.style.width = `${total > 0 ? (100 * done) / total : 0}%`;
  }

  /** Where a stage's work was done, when not in the time shown for it (its time is added after). */
  stageNote(stage: Stage, text: string): void {
    const row = this.rows.get(stage);
    if (row) row.detail.textContent = text;
  }

  stageDone(stage: Stage, ms: number): void {
    const row = this.rows.get(stage);
    if (!row) return;
    row.root.dataset.status = 'done';
    row.bar.style.width = '100%';
    row.detail.textContent = [row.detail.textContent, formatMs(ms)].filter(Boolean).join(' · ');
  }

  finish(totalMs: number): void {
    this.root.dataset.state = 'done';
    this.setHeading(`Map built in ${formatMs(totalMs)}`);
    this.setActions();
    this.settle();
  }

  /** For a map that runs no model (its file brought vectors or positions): says so where the device would be. */
  noModel(why: string): void {
    this.device.textContent = why;
    delete this.root.dataset.device;
  }

  /** Marks the stages a corpus file made unnecessary, with why. */
  skip(skipped: Partial<Record<Stage, string>>): void {
    for (const [stage, reason] of Object.entries(skipped) as [Stage, string][]) {
      const row = this.rows.get(stage);
      if (!row) continue;
      row.root.dataset.status = 'skipped';
      row.detail.textContent = reason;
    }
  }

  /** A map that was already computed: `when` says where, e.g. "on WASM" or "ahead of time". */
  cached(ms: number, when: string): void {
    this.opened(`Opened from this browser's cache in ${formatMs(ms)}`, `Computed earlier ${when}; nothing was recomputed.`);
  }

  /** The deploy's prebuilt map, shown as it came. */
  prebuilt(ms: number, modelId: string): void {
    this.opened(`Opened the prebuilt map in ${formatMs(ms)}`, `Computed ahead of time with ${modelId} (npm run build-map); nothing was computed in this browser. The maps panel can rebuild it here.`);
  }

  private opened(heading: string, detail: string): void {
    this.root.hidden = false;
    this.root.dataset.state = 'done';
    this.setHeading(heading);
    this.device.textContent = detail;
    this.list().replaceChildren();
    this.notes.replaceChildren();
    this.setActions();
    this.settle();
  }

  fail(message: string, onRetry: () => void): void {
    this.root.hidden = false;
    this.root.dataset.state = 'failed';
    setFolded(this.root, false);
    this.setHeading('The map could not be built');
    for (const row of this.rows.values()) if (row.root.dataset.status === 'running') row.root.dataset.status = 'failed';
    this.notes.replaceChildren(el('p', { className: 'note error', text: message.charAt(0).toUpperCase() + message.slice(1) }));
    const retry = el('button', { className: 'button', text: 'Retry' });
    retry.addEventListener('click', onRetry);
    this.setActions(retry);
  }
}

/** The panel's line on where the work runs: the model's device, and the neighbour search's where it differs. */
export function deviceLine(choice: DeviceChoice, threads: number): string {
  const search = choice.cpuSearch ? `neighbour search on the CPU (${choice.cpuSearch})` : `neighbour search on ${choice.device === 'webgpu' ? 'WebGPU' : 'the CPU'}`;
  const runtime = choice.device === 'webgpu' ? `WebGPU${choice.cpuSearch ? ` · ${search}` : ''}` : `WASM · ${threads} thread${threads === 1 ? '' : 's'}`;
  // A static model is a table lookup in JS: the chosen device then does the neighbour search at most.
  const name = choice.embeddedOn === 'cpu' ? `Embedding on the CPU (the model is a table lookup) · ${search}` : runtime;
  return `${name}${choice.adapter ? ` · ${choice.adapter}` : ''} (${choice.reason})`;
}
