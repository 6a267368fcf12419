/**
 * The offline chip in the top bar (saving / ready / working offline) and the toast that offers a new
 * version. Thin glue over src/offline.ts.
 */
import type { OfflineStatus } from '../offline';
import { byId, el } from './dom';

const CHIP_TEXT: Record<OfflineStatus, string> = {
  saving: 'Saving for offline…',
  ready: 'Available offline',
  unavailable: 'Online only',
};

const CHIP_TITLE: Record<OfflineStatus, string> = {
  saving: 'The app, corpus and model are being saved in this browser so the map opens without a network.',
  ready: 'The app, corpus and model are saved in this browser: the map opens and works without a network.',
  unavailable: 'This page cannot be saved for offline use here',
};

export class OfflineStatusView {
  private status: OfflineStatus | null = null;
  private detail: string | null = null;
  private readonly chip = byId('offline');
  private readonly toast = byId('update');

  constructor() {
    addEventListener('online', () => this.render());
    addEventListener('offline', () => this.render());
  }

  show(status: OfflineStatus, detail: string | null): void {
    this.status = status;
    this.detail = detail;
    this.render();
  }

  private render(): void {
    if (!this.status) return;
    // navigator.onLine only says whether the machine has a network link, not whether the host answers;
    // the chip shows it as a hint beside what the offline cache holds, which is what the map relies on.
    const offline = !navigator.onLine;
    this.chip.hidden = false;
    this.chip.dataset.status = this.status;
    this.chip.dataset.network = offline ? 'offline' : 'online';
    this.chip.textContent = offline ? (this.status === 'ready' ? 'Offline · saved copy' : 'Offline') : CHIP_TEXT[this.status];
    this.chip.title = [CHIP_TITLE[this.status], this.detail].filter(Boolean).join(': ');
  }

  /** Offers the waiting version; the page keeps running on the old one until the user accepts. */
  offerUpdate(apply: () => Promise<void>): void {
    const reload = el('button', { className: 'button primary', text: 'Reload' });
    const later = el('button', { className: 'button', text: 'Later' });
    reload.addEventListener('click', () => {
      reload.disabled = true;
      reload.textContent = 'Updating…';
      void apply();
    });
    later.addEventListener('click', () => (this.toast.hidden = true));
    this.toast.replaceChildren(el('span', { text: 'A new version of Papermap is ready.' }), reload, later);
    this.toast.hidden = false;
  }

  get updateWaiting(): boolean {
    return this.toast.childElementCount > 0;
  }
}
