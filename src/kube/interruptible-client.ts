import { addAbortSignal, type Readable } from 'node:stream';
import type { KubeClient, KubeRequest } from './client.js';

/**
 * A client whose every request ends once `signal` aborts: requests in flight are cancelled
 * and fail, as every later one does, with the signal's reason. A run handed this client stops
 * at its next request, wherever it is, without watching the signal itself.
 */
export function interruptibleClient(client: KubeClient, signal: AbortSignal): KubeClient {
  const interrupted = (err: unknown): never => {
    throw signal.aborted ? signal.reason : err;
  };
  const withSignal = (req: KubeRequest): KubeRequest => {
    signal.throwIfAborted();
    return { ...req, signal: req.signal ? AbortSignal.any([req.signal, signal]) : signal };
  };
  return {
    server: client.server,
    json: async <T>(req: KubeRequest) => client.json<T>(withSignal(req)).catch(interrupted),
    stream: async (req: KubeRequest): Promise<Readable> => addAbortSignal(signal, await client.stream(withSignal(req)).catch(interrupted)),
  };
}
