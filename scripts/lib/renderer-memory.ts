/**
 * Peak memory of a headless Chromium's renderer processes, read from /proc (Linux): the page and its
 * workers share one renderer process, so this covers the app's workers too.
 */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Watches the renderer processes of the browser on `profile` until stopped: the largest of their
 * resident memory (VmRSS) sampled every `everyMs` and their VmHWM at each sample. VmHWM alone is not
 * enough: Chromium resets it during a long build (on this machine a renderer's VmHWM fell from
 * 2,124 to 1,256 MB mid-build), so a peak read only at the end can miss the real one.
 */
export function watchRendererMemory(profile: string, everyMs = 250): { stop(): number } {
  let peak = 0;
  const sample = () => {
    for (const s of rendererStatus(profile)) peak = Math.max(peak, s.rssMB, s.hwmMB);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** VmRSS and VmHWM (MB) of each renderer process of the browser running on `profile`. */
function rendererStatus(profile: string): { rssMB: number; hwmMB: number }[] {
  const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      return [{ pid: Number(pid), ppid, cmdline }];
    } catch {
      return []; // gone meanwhile
    }
  });
  const browser = procs.find((p) => p.cmdline.includes(`--user-data-dir=${profile}`) && !p.cmdline.some((a) => a.startsWith('--type=')));
  if (!browser) return [];
  const ours = new Set([browser.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) (ours.add(p.pid), (grew = true));
  }
  return procs
    // Zygote children rewrite their command line as one space-separated string.
    .filter((p) => ours.has(p.pid) && /(^|\s)--type=renderer(\s|$)/.test(p.cmdline.join(' ')))
    .map((p) => {
      try {
        const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
        const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
        return { rssMB: field('VmRSS'), hwmMB: field('VmHWM') };
      } catch {
        return { rssMB: 0, hwmMB: 0 };
      }
    });
}
