import { describe, expect, it } from 'vitest';
import { chooseDevice } from '../../workers/device';

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
