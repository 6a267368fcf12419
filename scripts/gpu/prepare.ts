/**
 * Builds what the GPU check needs on a lent device machine, which has no Node, no browser and no
 * network (README: "The GPU check"):
 *   .gpu/payload/              node (this Node's binary), dawn.node (npm `webgpu`, pinned and
 *                              checked below), bench.mjs (scripts/gpu/bench-gpu.ts and the app's
 *                              modules it imports, bundled from this tree), ort/ (onnxruntime-web's
 *                              WASM) and texts.json (development abstracts); the embedded model
 *                              travels with the working tree (public/models)
 *   .gpu/device/payload.tar.xz the same, compressed, to carry (with --dry: not made)
 *   .gl/*.deb                  the Vulkan/GL loaders the device image lacks (apt-get download; with --dry: not fetched)
 * All three are git-ignored; the run's `carry` names .gpu/device and .gl. What travels (the tracked
 * files, 31 MiB in December 2026, and what is carried) must stay under 64 MiB: the Node binary is
 * two thirds of the payload, so the texts are few and both binaries go without their symbols.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleGpuBench } from './bundle';
import { paperText, readArxiv, splitByPaper } from '../lib/arxiv';
import { ORT_FILES } from '../../src/ort-files';

const root = new URL('../../', import.meta.url).pathname;
const dry = process.argv.includes('--dry');
const gpuDir = join(root, '.gpu');
const payload = join(gpuDir, 'payload');
/** Dawn for Node: the version that ran on the H200 (2026-11-28), and its registry integrity. */
const WEBGPU = { version: '0.6.2', integrity: 'sha512-3L4GfmqJLvYUIEWJngEQY+2HQiUlAFkg8+P8NDDj3Xx5hHHIFO/r8JW+ynfqBj7kHN4mbnwO74uB+lrRtLhp4Q==' };
/** Development abstracts in the payload (the pipeline and embedding steps take an even spread of them). */
const TEXTS = 6_000;
const CARRY_LIMIT = 64 * 2 ** 20;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const step = (what: string) => console.log(`bench:gpu prepare: ${what}`);

function dawnNode(): string {
  const cache = join(gpuDir, 'cache');
  const tarball = join(cache, `webgpu-${WEBGPU.version}.tgz`);
  mkdirSync(cache, { recursive: true });
  if (!existsSync(tarball)) {
    step(`fetching webgpu@${WEBGPU.version} from the npm registry (51 MB, every platform's Dawn: kept out of the app's dependencies)`);
    execFileSync('npm', ['pack', `webgpu@${WEBGPU.version}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const digest = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (digest !== WEBGPU.integrity) {
    rmSync(tarball);
    throw new Error(`webgpu-${WEBGPU.version}.tgz does not match its registry integrity (${digest}): removed; run again`);
  }
  const out = join(cache, 'dawn.node');
  if (!existsSync(out)) writeFileSync(out, execFileSync('tar', ['-xzOf', tarball, 'package/dist/linux-x64/dawn.node'], { maxBuffer: 64 * 2 ** 20 }));
  return out;
}

/** Development abstracts spread evenly over the split (every category), as npm run bench picks them. */
function devTexts(): string[] {
  const { dev } = splitByPaper(readArxiv());
  return Array.from({ length: Math.min(TEXTS, dev.length) }, (_, i) => paperText(dev[Math.floor((i * dev.length) / Math.min(TEXTS, dev.length))]!));
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0) : stat.size;
}

rmSync(payload, { recursive: true, force: true });
mkdirSync(join(payload, 'ort'), { recursive: true });
step('bundling scripts/gpu/bench-gpu.ts with the app modules it imports');
await bundleGpuBench(join(payload, 'bench.mjs'));
copyFileSync(dawnNode(), join(payload, 'dawn.node'));
for (const file of Object.values(ORT_FILES)) copyFileSync(join(root, 'node_modules/onnxruntime-web/dist', file), join(payload, 'ort', file));
step(`reading ${TEXTS.toLocaleString('en')} development abstracts`);
writeFileSync(join(payload, 'texts.json'), JSON.stringify(devTexts()));
// The device runs this same Node. Symbols (12 MB of Node, 4 of Dawn) are nothing the run reads.
copyFileSync(process.execPath, join(payload, 'node'));
for (const binary of ['node', 'dawn.node']) {
  try {
    execFileSync('strip', [join(payload, binary)]);
  } catch {
    step(`no strip here: ${binary} goes with its symbols`);
  }
}
step(`payload ${mb(sizeOf(payload))} in .gpu/payload (Node ${process.version})`);

if (!dry) {
  const device = join(gpuDir, 'device');
  mkdirSync(device, { recursive: true });
  step('compressing the payload (xz, about a minute on two cores)');
  execFileSync('bash', ['-c', `tar -cf - -C "${payload}" . | xz -T0 -6 > "${join(device, 'payload.tar.xz')}"`], { stdio: 'inherit' });
  const gl = join(root, '.gl');
  if (!existsSync(gl) || !readdirSync(gl).some((f) => f.endsWith('.deb'))) {
    step('fetching the Vulkan/GL loaders for the device image (apt-get download, amd64)');
    mkdirSync(gl, { recursive: true });
    const apt = '-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/papermap-apt-amd64';
    try {
      execFileSync('bash', ['-c', `mkdir -p /tmp/papermap-apt-amd64/partial && apt-get ${apt} update -qq && cd "${gl}" && apt-get ${apt} download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2`], { stdio: 'inherit' });
    } catch {
      step('apt-get download failed: the device run works only where the image has libvulkan.so.1');
    }
  }
  const carried = sizeOf(device) + (existsSync(gl) ? sizeOf(gl) : 0);
  // Everything git does not ignore travels too.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const tree = files.reduce((sum, f) => sum + (existsSync(join(root, f)) ? statSync(join(root, f)).size : 0), 0);
  step(`to carry: .gpu/device + .gl = ${mb(carried)}; with the working tree (${mb(tree)}) ${mb(tree + carried)} of ${mb(CARRY_LIMIT)}`);
  if (tree + carried > CARRY_LIMIT) throw new Error('the working tree and the payload are over the device run\'s 64 MiB: fewer texts (TEXTS), or less in the tree');
  console.log('\nOn a lent device: run(command="bash scripts/gpu/run.sh", carry=[".gpu/device", ".gl"], timeout_s=540), then npm run bench:gpu:record -- <files_at>');
}
