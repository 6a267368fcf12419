/**
 * Peak memory of a headless Chromium's renderer processes, read from /proc (Linux): the page and its
 * workers share one renderer process, so this covers the app's workers too.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Peak resident memory (VmHWM, MB) of each renderer process of the browser running on `profile`. */
export function rendererPeaksMB(profile: string): number[] {
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
        return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    });
}
