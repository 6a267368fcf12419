import { describe, expect, it } from 'vitest';
import { chooseDevice, neighbourSearch } from '../../workers/device';
import { deviceLine } from '../../src/ui/progress';

const hardware = { isFallback: false, description: 'nvidia ampere' };
const software = { isFallback: true, description: 'google swiftshader (software)' };

describe('choosing the embedding device', () => {
  it('uses a hardware WebGPU adapter by default', () => {
    expect(chooseDevice('auto', hardware)).toMatchObject({ device: 'webgpu', adapter: 'nvidia ampere' });
  });
  it('prefers WASM over a software adapter unless WebGPU is asked for', () => {
    expect(chooseDevice('auto', software)).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/software/) });
    expect(chooseDevice('webgpu', software)).toMatchObject({ device: 'webgpu', reason: 'WebGPU requested' });
  });
  it('falls back to WASM when there is no adapter, saying so', () => {
    expect(chooseDevice('auto', null)).toMatchObject({ device: 'wasm', reason: 'no WebGPU adapter: using WASM' });
    expect(chooseDevice('webgpu', null)).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/requested but no adapter/) });
  });
  it('uses WASM when asked, even with a GPU', () => {
    expect(chooseDevice('wasm', hardware)).toMatchObject({ device: 'wasm', reason: 'WASM requested' });
  });
});

describe('choosing where the neighbour search runs', () => {
  const gpu = chooseDevice('auto', hardware);
  const onGpu = (...args: Parameters<typeof neighbourSearch>) => neighbourSearch(...args).onGpu;
  it('keeps small maps on the CPU, where its exact search beats a GPU start, and gives the GPU the rest', () => {
    expect(neighbourSearch(gpu, 'auto', 336, 320)).toEqual({ onGpu: false, cpuBecause: 'exact, quicker than starting the GPU for a map this small' });
    expect(onGpu(gpu, 'auto', 2000, 320)).toBe(false);
    expect(neighbourSearch(gpu, 'auto', 10_000, 320)).toEqual({ onGpu: true, cpuBecause: null });
    expect(onGpu(gpu, 'auto', 100_000, 384)).toBe(true);
  });
  it('uses the GPU at any size when WebGPU was asked for by name, up to where NN-descent wins', () => {
    const asked = chooseDevice('webgpu', software);
    expect(onGpu(asked, 'webgpu', 336, 320)).toBe(true);
    expect(onGpu(asked, 'webgpu', 200_000, 384)).toBe(true);
    expect(neighbourSearch(asked, 'webgpu', 200_001, 384)).toEqual({ onGpu: false, cpuBecause: 'NN-descent, quicker than an exact search on the GPU for a map this large' });
  });
  it('never on WASM or without a device decision, and then gives no reason', () => {
    expect(neighbourSearch(chooseDevice('auto', software), 'auto', 50_000, 384)).toEqual({ onGpu: false, cpuBecause: null });
    expect(onGpu(chooseDevice('wasm', hardware), 'wasm', 50_000, 384)).toBe(false);
    expect(onGpu(null, 'auto', 50_000, 384)).toBe(false);
  });
  it('says on the panel where the search runs when it is not the chosen device', () => {
    const { cpuBecause } = neighbourSearch(gpu, 'auto', 336, 320);
    expect(deviceLine({ ...gpu, embeddedOn: 'cpu' }, 1)).toBe('Embedding on the CPU (the model is a table lookup) · neighbour search on WebGPU · nvidia ampere (WebGPU adapter found)');
    expect(deviceLine({ ...gpu, embeddedOn: 'cpu', cpuSearch: cpuBecause! }, 1)).toBe('Embedding on the CPU (the model is a table lookup) · neighbour search on the CPU (exact, quicker than starting the GPU for a map this small) · nvidia ampere (WebGPU adapter found)');
    expect(deviceLine({ ...gpu, cpuSearch: cpuBecause! }, 1)).toBe('WebGPU · neighbour search on the CPU (exact, quicker than starting the GPU for a map this small) · nvidia ampere (WebGPU adapter found)');
    expect(deviceLine(gpu, 1)).toBe('WebGPU · nvidia ampere (WebGPU adapter found)');
    expect(deviceLine(chooseDevice('wasm', null), 2)).toBe('WASM · 2 threads (WASM requested)');
  });
});
