/**
 * The offline cache, page side: registers the Workbox service worker built by vite-plugin-pwa and
 * reports what it means for the user: whether the app is saved for offline use yet, and when a new
 * deploy is ready (it takes over only when the user says so, with a reload, so the page never runs on
 * a mix of old and new files).
 */
import { registerSW } from 'virtual:pwa-register';
import { ORT_CACHE, ORT_CACHE_PREFIX } from './ort-files';

/**
 * 'saving': the first visit is still downloading the app's files; 'ready': the app opens offline;
 * 'unavailable': no service worker here (dev server, insecure origin, a browser setting): online only.
 */
export type OfflineStatus = 'saving' | 'ready' | 'unavailable';

export interface OfflineEvents {
  status(status: OfflineStatus, detail: string | null): void;
  /** A new version is installed and waiting; `apply` switches to it and reloads the page. */
  updateReady(apply: () => Promise<void>): void;
}

export function startOfflineCache(events: OfflineEvents): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) {
    events.status('unavailable', import.meta.env.DEV ? 'the dev server has no offline cache' : 'this browser or origin allows no service worker');
    return;
  }
  const ready = () => {
    events.status('ready', null);
    void dropOtherRuntimes();
  };
  const apply = registerSW({
    immediate: true,
    onOfflineReady: ready,
    onNeedRefresh: () => events.updateReady(() => apply(true)),
    onRegisteredSW: (_url, registration) => {
      // On later visits the worker is already active: onOfflineReady fires only on the first install.
      if (registration?.active && navigator.serviceWorker.controller) ready();
      else events.status('saving', null);
    },
    onRegisterError: (error: unknown) => events.status('unavailable', error instanceof Error ? error.message : String(error)),
  });
}

/** The runtime caches of another onnxruntime-web version (an earlier deploy's): 26 MB nothing reads again. */
async function dropOtherRuntimes(): Promise<void> {
  try {
    for (const name of await caches.keys()) if (name.startsWith(ORT_CACHE_PREFIX) && name !== ORT_CACHE) await caches.delete(name);
  } catch {
    // Storage the browser refuses to list is storage this page cannot free either.
  }
}
