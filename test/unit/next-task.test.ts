/** workers/next-task.ts: awaiting it lets tasks already queued on this thread run (an awaited promise does not). */
import { describe, expect, it } from 'vitest';
import { nextTask } from '../../workers/next-task';

describe('nextTask', () => {
  it('lets a message that was already waiting be handled first', async () => {
    const { port1, port2 } = new MessageChannel();
    const handled: string[] = [];
    port1.onmessage = (event) => handled.push(event.data as string);
    port2.postMessage('waiting');
    // Wait until the channel delivers at all, then queue one more and compare the two ways of waiting.
    while (handled.length === 0) await nextTask();
    port2.postMessage('second');
    await Promise.resolve();
    expect(handled).toEqual(['waiting']);
    await nextTask();
    await nextTask();
    expect(handled).toEqual(['waiting', 'second']);
    port1.close();
  });
});
