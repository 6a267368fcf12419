// Thin entry: the second share of a large map's layout (workers/layout-side.ts), an epoch per request.
// Any error ends the worker as a crash: the pipeline worker then lays out the map alone.
import { shareOptimiser } from '../src/math/layout/layout';
import type { SgdPart } from '../src/math/layout/umap-sgd';
import type { LayoutMessage, LayoutRequest } from './messages';

let part: SgdPart | null = null;

addEventListener('message', (event: MessageEvent<LayoutRequest>) => {
  const { epoch, positions, share } = event.data;
  if (share?.crash) throw new Error('simulated layout worker crash');
  if (share) part = shareOptimiser(share, share.edges, share.part);
  if (!part) throw new Error('the layout worker was asked for an epoch before it was given its share');
  part.step(positions, epoch);
  postMessage({ type: 'moved', epoch, positions } satisfies LayoutMessage, { transfer: [positions.buffer] });
});
