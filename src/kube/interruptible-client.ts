import { addAbortSignal, type Readable } from 'node:stream';
import type { KubeClient, KubeRequest } from './client.js';

/**
 * A client whose every request ends once `signal` aborts: requests in flight and every later
 * one fail with the signal's reason. A run handed this client stops at its next request,
 * wherever it is, without watching the signal itself.
 *
 * Requests in flight are let go rather than cancelled: their answers are no longer awaited, and
 * the process ends without them. Handing the signal to each request instead cost a restore of
 * 10k objects ~0.3 s, as every request added a listener to the one signal. A request the client
 * retries is the exception: it is not sent again once interrupted, and gets the signal for its
 * pause and its next attempts, so that a create let go cannot land after the run has ended.
 */
export function interruptibleClient(client: KubeClient, signal: AbortSignal): KubeClient {
  const waiting = new Set<(reason: unknown) => void>();
  signal.addEventListener(
    'abort',
    () => {
      for (const stop of waiting) stop(signal.reason);
      waiting.clear();
    },
    { once: true },
  );
  const untilInterrupted = <T>(request: () => Promise<T>): Promise<T> => {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      request().then(resolve, (err: unknown) => reject(signal.aborted ? signal.reason : err)).finally(() => waiting.delete(reject));
    });
  };
  const stoppingRetries = (req: KubeRequest): KubeRequest => {
    const sent: KubeRequest = { ...req };
    sent.onRetry = (notice) => {
      signal.throwIfAborted();
      // The client reads the request's signal for the pause and each attempt after this one.
      sent.signal = req.signal ? AbortSignal.any([req.signal, signal]) : signal;
      req.onRetry?.(notice);
    };
    return sent;
  };
  return {
    server: client.server,
    json: <T>(req: KubeRequest) => untilInterrupted(() => client.json<T>(stoppingRetries(req))),
    stream: async (req: KubeRequest): Promise<Readable> => addAbortSignal(signal, await untilInterrupted(() => client.stream(stoppingRetries(req)))),
  };
}
