import { describe, expect, it } from 'vitest';
import { chooseDevice, neighboursOnGpu } from '../../workers/device';

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
  it('keeps small maps on the CPU, where its exact search beats a GPU start, and gives the GPU the rest', () => {
    expect(neighboursOnGpu(gpu, 'auto', 336, 320)).toBe(false);
    expect(neighboursOnGpu(gpu, 'auto', 2000, 320)).toBe(false);
    expect(neighboursOnGpu(gpu, 'auto', 10_000, 320)).toBe(true);
    expect(neighboursOnGpu(gpu, 'auto', 100_000, 384)).toBe(true);
  });
  it('uses the GPU at any size when WebGPU was asked for by name, up to where NN-descent wins', () => {
    const asked = chooseDevice('webgpu', software);
    expect(neighboursOnGpu(asked, 'webgpu', 336, 320)).toBe(true);
    expect(neighboursOnGpu(asked, 'webgpu', 200_000, 384)).toBe(true);
    expect(neighboursOnGpu(asked, 'webgpu', 200_001, 384)).toBe(false);
  });
  it('never on WASM or without a device decision', () => {
    expect(neighboursOnGpu(chooseDevice('auto', software), 'auto', 50_000, 384)).toBe(false);
    expect(neighboursOnGpu(chooseDevice('wasm', hardware), 'wasm', 50_000, 384)).toBe(false);
    expect(neighboursOnGpu(null, 'auto', 50_000, 384)).toBe(false);
  });
});
