/**
 * @import * as z from 'zod'
 * @import { correctRequestInput, createRequestInput, extendRequestInput, ListRequestsQuery } from '../../domain/request-schema.ts'
 * @import { problem, requestList, SmartAccountRequestResource, statusCounts } from '../../domain/resource-schemas.ts'
 */

/**
 * The partner API as the console uses it. The shapes are the server's own zod schemas, so a
 * change there that the console does not follow fails `tsc`.
 */

/** @typedef {SmartAccountRequestResource} Request */
/** @typedef {Request['status']} Status */
/** A request that exists; only a dry run answers with `id: null`. @typedef {Request & { id: string }} StoredRequest */
/** @typedef {Omit<z.infer<typeof requestList>, 'items'> & { items: StoredRequest[] }} RequestPage */
/** @typedef {z.infer<typeof problem>} Problem */
/** @typedef {NonNullable<Problem['errors']>[number]} FieldError */
/** @typedef {z.input<typeof createRequestInput>} RequestBody */
/** The list's query as the server reads it. @typedef {ListRequestsQuery} ListQuery */
/** Every status with its count. @typedef {z.infer<typeof statusCounts>} StatusCounts */
/** @typedef {z.input<typeof extendRequestInput>} ExtendBody */
/**
 * What `PATCH …/{id}` may change; the account fields it names only to refuse them.
 * @typedef {Omit<z.input<typeof correctRequestInput>, 'accountName' | 'accountDomain'>} RequestChanges
 */

/** The API answered with an error status; `problem` is its problem+json body, if it sent one. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Partial<Problem>} problem
   */
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** No answer at all: the network or the service is down. */
export class ServiceUnreachable extends Error {
  /** @param {unknown} cause */
  constructor(cause) {
    super('The service could not be reached', { cause });
    this.name = 'ServiceUnreachable';
  }
}

/**
 * @typedef {{
 *   base: string,
 *   key: () => string | null,
 *   onUnauthorized: () => void,
 * }} ApiClientOptions
 */

export class ApiClient {
  /** @type {string} */
  #base;
  /** @type {() => string | null} */
  #key;
  /** @type {() => void} */
  #onUnauthorized;

  /**
   * @param {ApiClientOptions} options `base` is the collection's path; `key` reads the
   *   partner key at each call; `onUnauthorized` runs on any 401, before the call rejects, so
   *   a rejected key ends the session wherever it is noticed.
   */
  constructor({ base, key, onUnauthorized }) {
    this.#base = base;
    this.#key = key;
    this.#onUnauthorized = onUnauthorized;
  }

  /**
   * The request as it would be created, normalized; nothing is written.
   * @param {RequestBody} body
   */
  async review(body) {
    return /** @type {Request} */ (await this.#send('POST', '?dryRun=true', { body }));
  }

  /**
   * @param {RequestBody} body
   * @param {string} idempotencyKey the same key replays the first create instead of a second
   */
  async create(body, idempotencyKey) {
    const headers = { 'Idempotency-Key': idempotencyKey };
    return /** @type {StoredRequest} */ (await this.#send('POST', '', { body, headers }));
  }

  /** @param {ListQuery} query the filters it has combine */
  async list({ limit, cursor, ...filters }) {
    const params = new URLSearchParams();
    params.set('limit', String(limit));
    for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
    if (cursor) params.set('cursor', cursor);
    return /** @type {RequestPage} */ (await this.#send('GET', `?${params}`));
  }

  /** The partner's requests per status, every status present. */
  async counts() {
    return /** @type {StatusCounts} */ (await this.#send('GET', '/counts'));
  }

  /** @param {string} id */
  async get(id) {
    return /** @type {StoredRequest} */ (await this.#send('GET', `/${encodeURIComponent(id)}`));
  }

  /**
   * Sends the activation e-mail again (202); 429 once the resend limit is reached.
   * @param {string} id
   */
  async resend(id) {
    return /** @type {StoredRequest} */ (
      await this.#send('POST', `/${encodeURIComponent(id)}/resend`)
    );
  }

  /** @param {string} id */
  async cancel(id) {
    return /** @type {StoredRequest} */ (
      await this.#send('POST', `/${encodeURIComponent(id)}/cancel`)
    );
  }

  /**
   * @param {string} id
   * @param {ExtendBody} body
   */
  async extend(id, body) {
    return /** @type {StoredRequest} */ (
      await this.#send('POST', `/${encodeURIComponent(id)}/extend`, { body })
    );
  }

  /**
   * @param {string} id
   * @param {RequestChanges} changes only the fields that changed
   */
  async update(id, changes) {
    return /** @type {StoredRequest} */ (
      await this.#send('PATCH', `/${encodeURIComponent(id)}`, { body: changes })
    );
  }

  /**
   * @param {string} method
   * @param {string} path appended to the collection's path
   * @param {SendOptions} [options]
   */
  #send(method, path, options) {
    return sendJson(
      { base: this.#base, key: this.#key, onUnauthorized: this.#onUnauthorized },
      method,
      path,
      options,
    );
  }
}

/** @typedef {{ body?: unknown, headers?: Record<string, string> }} SendOptions */

/**
 * One call of the partner API, for every collection's client: the key at each call, JSON in
 * and out, a problem+json answer as an ApiError, and `onUnauthorized` on any 401.
 * @param {ApiClientOptions} client
 * @param {string} method
 * @param {string} path appended to the collection's path
 * @param {SendOptions} [options]
 * @returns {Promise<unknown>} the parsed JSON body of a 2xx answer
 */
export async function sendJson(client, method, path, { body, headers = {} } = {}) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`${client.base}${path}`, {
      method,
      headers: {
        Accept: 'application/json, application/problem+json',
        Authorization: `Bearer ${client.key() ?? ''}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ServiceUnreachable(error);
  }
  const data = parseJson(await response.text());
  if (response.ok) return data;
  if (response.status === 401) client.onUnauthorized();
  // Error answers are problem+json by contract; anything else (a proxy's HTML) says nothing.
  throw new ApiError(response.status, isObject(data) ? /** @type {Partial<Problem>} */ (data) : {});
}

/** @param {string} text */
function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isObject = (value) => typeof value === 'object' && value !== null;
