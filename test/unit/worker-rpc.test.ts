import { describe, expect, it } from 'vitest';
import { WorkerRpc, type WorkerFailure } from '../../src/worker-rpc';

/** A stand-in for a module worker: records what it is sent, and replies, crashes or garbles on demand. */
class FakeWorker extends EventTarget {
  readonly sent: { message: unknown; transfer: Transferable[] }[] = [];
  terminated = false;
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.sent.push({ message, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: Reply): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
  /** Returns whether the error was handled (default prevented), as the page then sees no uncaught error. */
  crash(message: string): boolean {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(event);
    return event.defaultPrevented;
  }
}

type Request = { ask: string; id?: number };
type Reply = { id?: number; answer?: string; error?: string; progress?: number };

function setup() {
  const workers: FakeWorker[] = [];
  const events: Reply[] = [];
  const rpc = new WorkerRpc<Request, Reply>(
    () => {
      workers.push(new FakeWorker());
      return workers.at(-1)! as unknown as Worker;
    },
    {
      answer: (m) => (m.progress !== undefined ? null : m.error ? { id: m.id, error: new Error(m.error) } : { id: m.id, value: m.answer }),
      onEvent: (m) => events.push(m),
      failure: (f: WorkerFailure) => new Error(f.kind === 'crashed' ? `the test worker crashed: ${f.detail}` : 'a message from the test worker could not be read'),
    },
  );
  return { rpc, workers, events };
}

describe('WorkerRpc', () => {
  it('starts the worker on the first request and matches answers to requests by id, in any order', async () => {
    const { rpc, workers, events } = setup();
    expect(workers).toHaveLength(0);
    const a = rpc.request<string>((id) => ({ ask: 'a', id }));
    const b = rpc.request<string>((id) => ({ ask: 'b', id }));
    const [worker] = workers;
    expect(workers).toHaveLength(1);
    expect(worker!.sent.map((s) => s.message)).toEqual([{ ask: 'a', id: 1 }, { ask: 'b', id: 2 }]);
    const settled = Promise.allSettled([a, b]);
    worker!.reply({ progress: 0.5 });
    worker!.reply({ id: 2, answer: 'B' });
    worker!.reply({ id: 1, error: 'no A' });
    expect(await settled).toEqual([{ status: 'rejected', reason: new Error('no A') }, { status: 'fulfilled', value: 'B' }]);
    expect(events).toEqual([{ progress: 0.5 }]);
  });

  it('answers the oldest request when the answer carries no id, and passes the transfer list on', async () => {
    const { rpc, workers } = setup();
    const buffer = new ArrayBuffer(8);
    const first = rpc.request<string>({ ask: 'first' }, [buffer]);
    const second = rpc.request<string>({ ask: 'second' });
    expect(workers[0]!.sent[0]!.transfer).toEqual([buffer]);
    workers[0]!.reply({ answer: 'one' });
    workers[0]!.reply({ answer: 'two' });
    expect([await first, await second]).toEqual(['one', 'two']);
  });

  it('rejects everything waiting when the worker crashes, ends it, and starts a fresh one for the next request', async () => {
    const { rpc, workers } = setup();
    const settled = Promise.allSettled([rpc.request({ ask: 'a' }), rpc.request({ ask: 'b' })]);
    expect(workers[0]!.crash('boom')).toBe(true);
    expect((await settled).map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['the test worker crashed: boom', 'the test worker crashed: boom']);
    expect(workers[0]!.terminated).toBe(true);
    const next = rpc.request<string>({ ask: 'c' });
    expect(workers).toHaveLength(2);
    workers[1]!.reply({ answer: 'C' });
    expect(await next).toBe('C');
  });

  it('rejects with the failure, rather than throwing, when the worker cannot be constructed; a later request tries again', async () => {
    let refuse = true;
    let started = 0;
    const rpc = new WorkerRpc<Request, Reply>(
      () => {
        if (refuse) throw new Error('Worker is not defined');
        started++;
        return new FakeWorker() as unknown as Worker;
      },
      { answer: (m) => ({ id: m.id, value: m.answer }), failure: (f: WorkerFailure) => new Error(f.kind === 'crashed' ? `the test worker crashed: ${f.detail}` : 'unreadable') },
    );
    const first = rpc.request<string>({ ask: 'a' });
    await expect(first).rejects.toThrow('the test worker crashed: Worker is not defined');
    refuse = false;
    const second = rpc.request<string>({ ask: 'b' });
    expect(started).toBe(1);
    rpc.close(new Error('done'));
    await expect(second).rejects.toThrow('done');
  });

  it('rejects with the failure for a message that cannot be read', async () => {
    const { rpc, workers } = setup();
    const waiting = rpc.request({ ask: 'a' });
    workers[0]!.dispatchEvent(new Event('messageerror'));
    await expect(waiting).rejects.toThrow('a message from the test worker could not be read');
  });

  it('close() ends the worker and rejects what waits with the reason given; a late answer is ignored', async () => {
    const { rpc, workers } = setup();
    const waiting = rpc.request({ ask: 'a' });
    rpc.close(new Error('the map changed'));
    await expect(waiting).rejects.toThrow('the map changed');
    expect(workers[0]!.terminated).toBe(true);
    workers[0]!.reply({ answer: 'late' });
    workers[0]!.crash('after the end');
  });
});
