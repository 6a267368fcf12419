/**
 * Copies onnxruntime-web's WASM runtime into public/ort/ so the app serves it from its own origin
 * (offline, no CDN). Runs before dev and build; the files are build inputs, not committed.
 */
import { copyFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ORT_FILES } from '../src/ort-files';

const root = new URL('..', import.meta.url).pathname;
const from = join(root, 'node_modules/onnxruntime-web/dist');
const to = join(root, 'public/ort');
mkdirSync(to, { recursive: true });
for (const file of Object.values(ORT_FILES)) {
  const src = join(from, file);
  const dst = join(to, file);
  if (existsSync(dst) && statSync(dst).size === statSync(src).size) continue;
  copyFileSync(src, dst);
  console.log(`copied ${file}`);
}
