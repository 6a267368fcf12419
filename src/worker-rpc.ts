/**
 * Requests to a module worker, answered by promises: the one place that starts a worker, matches its
 * answers to the requests waiting for them, passes every other message on as an event, and turns a
 * crash (or a message that cannot be read) into a rejection instead of a page left waiting.
 *
 * Answers are matched by id where several requests may be in flight (the worker echoes the id it
 * was given); a protocol with one request at a time returns no id, and the oldest request is answered.
 * The worker is started on the first request, and again on the first after a failure or close().
 *
 *   const rpc = new WorkerRpc<QueryRequest, QueryMessage>(
 *     // Written out at the call site: Vite bundles a worker only from this literal form.
 *     () => new Worker(new URL('../workers/query.worker.ts', import.meta.url), { type: 'module', name: 'papermap-query' }),
 *     {
 *       answer: (m) => (m.type === 'query-vector' ? { id: m.id, value: m.vector } : { id: m.id, error: new Error(m.message) }),
 *       failure: (f) => new Error(f.kind === 'crashed' ? `the search worker crashed: ${f.detail ?? 'no details'}` : 'a message from the search worker could not be read'),
 *     },
 *   );
 *   const vector = await rpc.request<Float32Array | null>((id) => ({ type: 'embed-query', id, text, ...model }));
 *   rpc.close(new Error('the map changed')); // rejects whatever still waits
 */

/** How a worker failed: an uncaught error, a script that did not load or a worker that could not be constructed (the message, if there was one), or a message it sent that could not be deserialised. */
export type WorkerFailure = { kind: 'crashed'; detail: string | null } | { kind: 'unreadable' };

/** A message's part in the protocol: the answer to a request (`id`: which; none: the oldest waiting), or null for an event. */
export type Answer = ({ value: unknown } | { error: Error }) & { id?: number };

export interface WorkerRpcOptions<Out> {
  /** Reads a message from the worker: an answer, or null when it is an event (passed to onEvent). */
  answer(message: Out): Answer | null;
  /** Every message that answers no request: progress and the like. */
  onEvent?(message: Out): void;
  /** The error every waiting request is rejected with when the worker fails (it is ended, too); it should name the worker. */
  failure(failure: WorkerFailure): Error;
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerRpc<In, Out> {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  /** `spawn` creates the worker (see above for the form Vite needs); nothing starts before the first request. */
  constructor(
    private readonly spawn: () => Worker,
    private readonly options: WorkerRpcOptions<Out>,
  ) {}

  /**
   * Sends a request and resolves with its answer's value (rejects with its error). `message` may be a
   * function of the request's id, for a protocol that matches answers by id; `transfer` lists buffers to move, not copy.
   */
  request<T>(message: In | ((id: number) => In), transfer: Transferable[] = []): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.worker ??= this.start();
      } catch (error) {
        // A worker that cannot even be constructed (no nested workers, a refused URL) is a failure like a crash, not a throw.
        return reject(this.options.failure({ kind: 'crashed', detail: error instanceof Error ? error.message : String(error) }));
      }
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(typeof message === 'function' ? (message as (id: number) => In)(id) : message, transfer);
    });
  }

  /** Ends the worker (a later request starts a fresh one); requests still waiting are rejected with `reason`. */
  close(reason: Error = new Error('the worker was closed')): void {
    this.worker?.terminate();
    this.worker = null;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const request of waiting) request.reject(reason);
  }

  private start(): Worker {
    const worker = this.spawn();
    // A worker already ended (and perhaps replaced) has nothing more to say.
    const current = () => this.worker === worker;
    worker.addEventListener('message', (event: MessageEvent<Out>) => current() && this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault(); // handled here: not also an uncaught error on the page
      if (current()) this.close(this.options.failure({ kind: 'crashed', detail: event.message || null }));
    });
    worker.addEventListener('messageerror', () => current() && this.close(this.options.failure({ kind: 'unreadable' })));
    return worker;
  }

  private receive(message: Out): void {
    const answer = this.options.answer(message);
    if (!answer) return this.options.onEvent?.(message);
    const id = answer.id ?? this.waiting.keys().next().value;
    const request = id === undefined ? undefined : this.waiting.get(id);
    if (!request) return; // an answer nobody waits for any more (closed, or rejected by a crash)
    this.waiting.delete(id!);
    if ('error' in answer) request.reject(answer.error);
    else request.resolve(answer.value);
  }
}
