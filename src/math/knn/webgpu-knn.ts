/**
 * Exact cosine k-nearest neighbours on the GPU through WebGPU compute, in exactCosineKnn's shape:
 * on L2-normalised rows, row i's slot 0 is i itself at distance 0, then its k − 1 nearest others.
 *
 * Work is cut three ways, each for its own reason:
 * - slabs: the vectors go up as one storage buffer per slab of rows, each within the device's
 *   binding and buffer size limits;
 * - chunks of query rows: one readback each, so progress is reported and cancel is honoured
 *   between them; a chunk goes to the GPU in several submits if it is big, so none runs long;
 * - parts of each slab's candidates: every part keeps its own top-k per query row, so a chunk of a
 *   few hundred rows still spreads over many workgroups; the host merges the parts' lists. A part
 *   is swept in steps (one dispatch each) that resume from the lists left in the output buffer,
 *   which keeps each dispatch short enough for the GPU watchdog.
 * ./webgpu-plan.ts sizes the cuts and merges the parts' lists; ./webgpu-shader.ts is the WGSL of one step.
 */
import type { KnnGraph } from './knn';
import { MAX_GPU_K, QUERY_TILE, mergePartLists, planKnn, roundUp, type KnnTuning, type PartLists } from './webgpu-plan';
import { knnShader } from './webgpu-shader';

// The pipeline worker reads MAX_GPU_K, and the browser test KnnTuning, from the search they call.
export { MAX_GPU_K, type KnnTuning } from './webgpu-plan';

/** Bytes per writeBuffer call when the vectors go up. */
const UPLOAD_BYTES = 64 * 2 ** 20;

export interface WebgpuKnnOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Size overrides, for tests that need several slabs, chunks or steps without gigabytes of data. */
  tuning?: KnnTuning;
}

function knnError(name: 'GpuKnnLost' | 'GpuKnnError', message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

const CHUNK_BYTES = 16;
const STEP_BYTES = 32;

/**
 * Exact cosine kNN of n × d L2-normalised row vectors on `device`. Rejects with an Error named
 * 'GpuKnnLost' if the device is lost meanwhile (the caller can fall back to exactCosineKnn), and
 * 'GpuKnnError' if the device refuses the work (out of memory, invalid). Every buffer it creates is
 * destroyed before it settles. It uses the device's error scopes: don't share the device meanwhile.
 */
export async function webgpuCosineKnn(device: GPUDevice, vectors: Float32Array, n: number, d: number, k: number, options: WebgpuKnnOptions = {}): Promise<KnnGraph> {
  if (k > n) throw new Error(`k = ${k} neighbours asked of only ${n} points`);
  if (k > MAX_GPU_K) throw new RangeError(`the GPU search keeps at most ${MAX_GPU_K} neighbours a row, not ${k}`);
  if (!(d >= 1)) throw new RangeError(`vectors need at least one dimension, not ${d}`);
  if (vectors.length < n * d) throw new RangeError(`${vectors.length} values are fewer than ${n} rows of ${d}`);
  const kk = Math.max(0, k);
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  for (let i = 0; i < n && kk > 0; i++) indices[i * kk] = i;
  if (kk <= 1) {
    options.onProgress?.(n, n);
    return { k: kk, indices, distances };
  }
  options.signal?.throwIfAborted();
  const kOthers = kk - 1;
  const limits = device.limits;
  const plan = planKnn(n, d, kk, {
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
  }, options.tuning);

  // The device may be lost at any await: each one races this, and a rejected map means the same.
  let lostReason: string | null = null;
  const lost = device.lost.then((info) => {
    lostReason = info.message || info.reason;
    throw knnError('GpuKnnLost', `the WebGPU device was lost during the kNN search (${lostReason})`);
  });
  lost.catch(() => {});
  const guard = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, lost]);

  const buffers: GPUBuffer[] = [];
  const createBuffer = (label: string, size: number, usage: number) => {
    const buffer = device.createBuffer({ label, size: roundUp(Math.max(size, 4), 4), usage });
    buffers.push(buffer);
    return buffer;
  };
  let scopes = 0;
  const pushScopes = () => {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    scopes += 2;
  };
  const popScopes = async (what: string) => {
    const errors = [device.popErrorScope(), device.popErrorScope()];
    scopes -= 2;
    const refusals = (await guard(Promise.all(errors))).filter((error) => error !== null);
    if (refusals.length > 0) throw knnError('GpuKnnError', `the GPU refused the kNN ${what}: ${refusals.map((error) => error.message).join('; ')}`);
  };

  try {
    pushScopes();
    const module = device.createShaderModule({ label: 'knn', code: knnShader(d, kOthers) });
    const chunkLayout = device.createBindGroupLayout({
      label: 'knn chunk',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    const stepLayout = device.createBindGroupLayout({
      label: 'knn step',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: STEP_BYTES } },
      ],
    });
    const pipeline = await guard(device.createComputePipelineAsync({
      label: 'knn',
      layout: device.createPipelineLayout({ bindGroupLayouts: [chunkLayout, stepLayout] }),
      compute: { module, entryPoint: 'main' },
    })).catch(async (error: unknown) => {
      if ((error as Error).name === 'GpuKnnLost') throw error;
      const info = await guard(module.getCompilationInfo());
      const messages = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
      throw knnError('GpuKnnError', `the kNN shader did not compile: ${messages.join('; ') || (error as Error).message}`, error);
    });

    // writeBuffer takes shared memory too (AllowSharedBufferSource); the bundled types say otherwise.
    const source = vectors as Float32Array<ArrayBuffer>;
    const piece = Math.max(1, Math.floor(UPLOAD_BYTES / (d * 4))) * d;
    const slabBuffers = plan.slabs.map((slab, s) => {
      const buffer = createBuffer(`knn slab ${s}`, slab.rows * d * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      for (let at = 0; at < slab.rows * d; at += piece) device.queue.writeBuffer(buffer, at * 4, source, slab.start * d + at, Math.min(piece, slab.rows * d - at));
      return buffer;
    });
    const listDist = createBuffer('knn distances', plan.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const listIndex = createBuffer('knn indices', plan.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    // Two readback buffers, so the GPU works on one chunk while the host merges the last.
    const readbacks = [0, 1].map((r) => createBuffer(`knn readback ${r}`, 2 * plan.outputBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST));
    const chunkUniform = createBuffer('knn chunk', CHUNK_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const stride = roundUp(STEP_BYTES, limits.minUniformBufferOffsetAlignment);
    const stepUniform = createBuffer('knn steps', stride * plan.steps.length, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const stepData = new Uint32Array(stride / 4 * plan.steps.length);
    plan.steps.forEach((step, i) => {
      const slab = plan.slabs[step.slab]!;
      stepData.set([slab.start, slab.rows, plan.partRows, slab.partBase, step.from, step.to, step.fresh ? 1 : 0], i * stride / 4);
    });
    device.queue.writeBuffer(stepUniform, 0, stepData);

    const chunkGroups = slabBuffers.map((buffer) => device.createBindGroup({
      layout: chunkLayout,
      entries: [
        { binding: 0, resource: { buffer } },
        { binding: 1, resource: { buffer: listDist } },
        { binding: 2, resource: { buffer: listIndex } },
        { binding: 3, resource: { buffer: chunkUniform } },
      ],
    }));
    const stepGroups = slabBuffers.map((buffer) => device.createBindGroup({
      layout: stepLayout,
      entries: [
        { binding: 0, resource: { buffer } },
        { binding: 1, resource: { buffer: stepUniform, size: STEP_BYTES } },
      ],
    }));
    await popScopes('buffers');

    pushScopes();
    const chunks: { slab: number; qBase: number; qCount: number }[] = [];
    plan.slabs.forEach((slab, s) => {
      for (let qBase = 0; qBase < slab.rows; qBase += plan.chunkRows) chunks.push({ slab: s, qBase, qCount: Math.min(plan.chunkRows, slab.rows - qBase) });
    });
    const entries = plan.outputBytes / 4;
    let previous: Promise<void> | null = null;
    for (const [c, chunk] of chunks.entries()) {
      options.signal?.throwIfAborted();
      if (lostReason !== null) await lost;
      const qGlobal = plan.slabs[chunk.slab]!.start + chunk.qBase;
      device.queue.writeBuffer(chunkUniform, 0, new Uint32Array([chunk.qBase, chunk.qCount, qGlobal, plan.chunkRows]));
      // One submit per plan.submitWork multiply-adds; the last one also copies the lists out.
      let encoder!: GPUCommandEncoder;
      let pass!: GPUComputePassEncoder;
      const begin = () => {
        encoder = device.createCommandEncoder({ label: `knn chunk ${c}` });
        pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, chunkGroups[chunk.slab]!);
      };
      begin();
      let work = 0;
      for (const [i, step] of plan.steps.entries()) {
        const slab = plan.slabs[step.slab]!;
        const stepWork = chunk.qCount * slab.parts * plan.stepRows * d;
        if (work > 0 && work + stepWork > plan.submitWork) {
          pass.end();
          device.queue.submit([encoder.finish()]);
          begin();
          work = 0;
        }
        pass.setBindGroup(1, stepGroups[step.slab]!, [i * stride]);
        pass.dispatchWorkgroups(Math.ceil(chunk.qCount / QUERY_TILE), slab.parts);
        work += stepWork;
      }
      pass.end();
      const readback = readbacks[c % 2]!;
      encoder.copyBufferToBuffer(listDist, 0, readback, 0, plan.outputBytes);
      encoder.copyBufferToBuffer(listIndex, 0, readback, plan.outputBytes, plan.outputBytes);
      device.queue.submit([encoder.finish()]);

      const mapped = readback.mapAsync(GPUMapMode.READ).then(
        () => {
          const bytes = readback.getMappedRange();
          const lists: PartLists = { parts: plan.parts, rows: plan.chunkRows, kOthers, distances: new Float32Array(bytes, 0, entries), indices: new Uint32Array(bytes, plan.outputBytes, entries) };
          for (let row = 0; row < chunk.qCount; row++) {
            const base = (qGlobal + row) * kk;
            if (mergePartLists(lists, row, indices, distances, base + 1) < kOthers) throw knnError('GpuKnnError', `the GPU found too few neighbours for row ${qGlobal + row}`);
          }
          readback.unmap();
        },
        (error: unknown) => {
          throw knnError('GpuKnnLost', `reading the kNN lists back from the GPU failed (${lostReason ?? String(error)})`, error);
        },
      );
      mapped.catch(() => {});
      // The chunk before this one has been merging meanwhile; its readback buffer is free after it.
      if (previous) {
        await guard(previous);
        options.onProgress?.(qGlobal, n);
      }
      previous = mapped;
    }
    if (previous) await guard(previous);
    await popScopes('search');
    options.onProgress?.(n, n);
    return { k: kk, indices, distances };
  } finally {
    // Leave the device's error-scope stack as we found it, without waiting on a lost device.
    while (scopes > 0) {
      device.popErrorScope().catch(() => {});
      scopes--;
    }
    for (const buffer of buffers) buffer.destroy();
  }
}

/** An adapter and device with the largest storage buffers the adapter allows; null without WebGPU. */
export async function requestKnnDevice(): Promise<GPUDevice | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    return await adapter.requestDevice({
      label: 'papermap knn',
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  } catch {
    return null;
  }
}
