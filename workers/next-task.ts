/**
 * Resolves on a later task of this thread's event loop, so what waits behind a long computation gets
 * to run: a worker started from this one cannot start (nor read its first message) until its parent's
 * event loop turns, and an awaited promise is only a microtask. A MessageChannel rather than
 * setTimeout(0), which browsers clamp to 4 ms once timers nest.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
