/**
 * Chooses where the model runs. A real (hardware) WebGPU adapter wins; a software fallback adapter
 * (SwiftShader) is slower than WASM, so it is used only when asked for by name (?device=webgpu).
 */
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
