import type { KubeStatus } from './types.js';

/** An answer from the API server that was not a success, with its metav1.Status when it sent one. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly method: string,
    readonly path: string,
    readonly status: KubeStatus | undefined,
  ) {
    const text = `${method} ${path}: ${code} ${status?.reason ?? ''}${status?.message ? `: ${status.message}` : ''}`.replace(/ +:/, ':');
    super(code === 401 ? `${text} (the API server does not accept the credentials of the kubeconfig's user: its token, client certificate or exec plugin)` : text);
    this.name = 'KubeApiError';
  }

  get reason(): string | undefined {
    return this.status?.reason;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404;
}

/** 403: the user may not do this; for a read, whether the object exists cannot be told. */
export function isForbidden(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 403;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409 && err.reason === 'AlreadyExists';
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409 && err.reason !== 'AlreadyExists';
}

/** 410 Gone: a continue token or watch resourceVersion that is too old. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 410;
}
