/**
 * Chooses where the model runs. A real (hardware) WebGPU adapter wins; a software fallback adapter
 * (SwiftShader) is slower than WASM, so it is used only when asked for by name (?device=webgpu).
 */
import { neighbourMethod } from '../src/math/knn/neighbours';
import type { DeviceChoice, DevicePreference } from '../src/pipeline/types';

export interface AdapterFacts {
  isFallback: boolean;
  description: string;
}

export function chooseDevice(preference: DevicePreference, adapter: AdapterFacts | null): DeviceChoice {
  const description = adapter?.description ?? null;
  if (preference === 'wasm') return { device: 'wasm', reason: 'WASM requested', adapter: description };
  if (!adapter) {
    const reason = preference === 'webgpu' ? 'WebGPU requested but no adapter is available: using WASM' : 'no WebGPU adapter: using WASM';
    return { device: 'wasm', reason, adapter: null };
  }
  if (preference === 'webgpu') return { device: 'webgpu', reason: 'WebGPU requested', adapter: description };
  if (adapter.isFallback) return { device: 'wasm', reason: 'only a software WebGPU adapter: WASM is faster', adapter: description };
  return { device: 'webgpu', reason: 'WebGPU adapter found', adapter: description };
}

/** Asks the browser for a WebGPU adapter; null when there is none (or WebGPU is missing entirely). */
export async function probeAdapter(): Promise<AdapterFacts | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const isFallback = info.isFallbackAdapter === true || (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    return { isFallback, description: isFallback ? `${description} (software)` : description };
  } catch {
    return null;
  }
}

/**
 * Above this many papers even a GPU's exact search (n² · d) takes too long and NN-descent on the CPU
 * wins: 200,000 × 384-d is ~1.5·10¹³ multiply-adds, seconds on a discrete GPU.
 */
const GPU_EXACT_MAX = 200_000;

/**
 * Where the neighbour search runs, on a map whose model runs on `choice`'s device. Chosen
 * automatically, the GPU searches only where the CPU would approximate (NN-descent): where the CPU's
 * search is exact (n²·d ≤ 2·10⁹) it takes a fraction of a second, about what a GPU spends starting
 * its first search (0.2–0.3 s on an H200; the 336 shipped papers take 26–41 ms on the CPU), and both
 * give the exact lists. Asked for by name (?device=webgpu), the GPU searches at any size up to
 * GPU_EXACT_MAX. `cpuBecause`: why the CPU searches though the device is WebGPU (for the panel).
 */
export function neighbourSearch(choice: DeviceChoice | null, preference: DevicePreference, n: number, d: number): { onGpu: boolean; cpuBecause: string | null } {
  if (choice?.device !== 'webgpu') return { onGpu: false, cpuBecause: null };
  if (n > GPU_EXACT_MAX) return { onGpu: false, cpuBecause: 'NN-descent, quicker than an exact search on the GPU for a map this large' };
  if (preference === 'webgpu' || neighbourMethod(n, d) !== 'exact') return { onGpu: true, cpuBecause: null };
  return { onGpu: false, cpuBecause: 'exact, quicker than starting the GPU for a map this small' };
}
