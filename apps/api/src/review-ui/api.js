// @ts-check
// The review API client: Bearer key, JSON bodies, errors as ApiError with the server's message.

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {() => string | null} getKey the API key to send
 * @param {() => void} onUnauthorized called on a 401 (the key was refused)
 */
export function createApi(getKey, onUnauthorized) {
  /** @param {string} path @param {RequestInit} [init] */
  return async function api(path, init = {}) {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${getKey() ?? ''}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const res = await fetch(path, { ...init, headers });
    if (res.status === 401) {
      onUnauthorized();
      throw new ApiError(401, 'unauthorized');
    }
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        message = body?.error?.message ?? message;
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, message);
    }
    return res;
  };
}
