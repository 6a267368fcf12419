/**
 * A layout plan (src/math/layout/layout.ts) run a share of edges per core: the pipeline worker runs
 * the first share, a worker of its own (workers/layout.worker.ts) the second, both from the same
 * positions each epoch, and their moves are added up here — the map runPlanHere makes in one thread,
 * bit for bit. A plan of one share (a small map) runs here. Should the worker fail, the layout starts
 * again in this thread: slower, the same map.
 */
import { runPlanHere, shareOptimiser, type LayoutPlan, type SteppedLayout } from '../src/math/layout/layout';
import { mergeMoves } from '../src/math/layout/umap-sgd';
import { WorkerRpc } from '../src/worker-rpc';
import type { LayoutMessage, LayoutRequest } from './messages';

export interface RunningLayout {
  readonly epochs: number;
  /** Runs one epoch; resolves with the epochs done (from 1 again when the layout restarted in this thread). */
  step(): Promise<number>;
  /** A copy of the current positions, n × 2. */
  coords(): Float32Array;
  /** Whether the second share runs in a worker of its own (false for a one-share plan, and once it fell back to this thread). */
  readonly inWorker: boolean;
  /** Why the layout was restarted in this thread, if it was. */
  readonly failure: string | null;
  /** Ends the worker, if one runs. */
  close(): void;
}

/** Starts running a plan; `crash` stages a crash of the layout worker (?simulate=layout-worker-crash). */
export type OpenLayout = (plan: LayoutPlan, how?: { crash: boolean }) => RunningLayout;

const inThisThread = (layout: SteppedLayout, failure: string | null = null): RunningLayout => ({
  epochs: layout.epochs,
  step: async () => layout.step(),
  coords: () => layout.coords(),
  inWorker: false,
  failure,
  close: () => undefined,
});

export const layoutInThisThread: OpenLayout = (plan) => inThisThread(runPlanHere(plan));

export const layoutInWorker: OpenLayout = (plan, { crash } = { crash: false }) => {
  if (plan.shares.length !== 2) return layoutInThisThread(plan);
  const rpc = new WorkerRpc<LayoutRequest, LayoutMessage>(
    () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'papermap-layout' }),
    {
      answer: (m) => ({ value: m.positions }),
      failure: (f) => new Error(f.kind === 'crashed' ? `the layout worker crashed: ${f.detail ?? 'no details'}` : 'a message from the layout worker could not be read'),
    },
  );
  const positions = plan.start.slice();
  const mine = shareOptimiser(plan, plan.shares[0]!, 0);
  // Two working copies, reused every epoch (no 200 × 2 fresh arrays to collect): ours, and theirs,
  // which travels to the worker and back (transferred, so it is not copied either way).
  const ours = new Float32Array(positions.length);
  let theirs: Float32Array | null = new Float32Array(positions.length);
  let epoch = 0;
  let fallback: RunningLayout | null = null;
  const running: RunningLayout = {
    epochs: plan.epochs,
    async step() {
      if (fallback) return fallback.step();
      if (epoch >= plan.epochs) return epoch;
      try {
        const sent = theirs!;
        theirs = null;
        sent.set(positions);
        const share = epoch === 0 ? { share: { edges: plan.shares[1]!, part: 1, n: plan.n, sgd: plan.sgd, crash } } : {};
        const moved = rpc.request<Float32Array>({ type: 'epoch', epoch, positions: sent, ...share }, [sent.buffer]);
        ours.set(positions);
        mine.step(ours, epoch);
        theirs = await moved;
      } catch (error) {
        // The worker crashed, or could not be started at all.
        rpc.close();
        fallback = inThisThread(runPlanHere(plan), error instanceof Error ? error.message : String(error));
        return fallback.step();
      }
      mergeMoves(positions, [ours, theirs]);
      return ++epoch;
    },
    coords: () => (fallback ? fallback.coords() : positions.slice()),
    get inWorker() {
      return fallback === null;
    },
    get failure() {
      return fallback?.failure ?? null;
    },
    close: () => rpc.close(),
  };
  return running;
};
