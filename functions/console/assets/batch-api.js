/**
 * @import * as z from 'zod'
 * @import { batchResult } from '../../domain/resource-schemas.ts'
 * @import { ApiClientOptions, RequestBody } from './api-client.js'
 */
import { sendJson } from './api-client.js';

/**
 * `POST /v1/smart-account-requests/batch` as the upload page uses it. The answer's shape is the
 * server's own zod schema (functions/domain/resource-schemas.ts).
 */

/** @typedef {z.infer<typeof batchResult>['items'][number]} BatchItemResult */

export class BatchApi {
  /** @type {ApiClientOptions} */
  #client;

  /** @param {ApiClientOptions} options as ApiClient's, with the batch route as `base` */
  constructor(options) {
    this.#client = options;
  }

  /**
   * Each item as it would be created (200) or why it would be refused; nothing is written.
   * @param {RequestBody[]} items
   */
  async check(items) {
    return /** @type {BatchItemResult[]} */ (
      /** @type {z.infer<typeof batchResult>} */ (
        await sendJson(this.#client, 'POST', '?dryRun=true', { body: { items } })
      ).items
    );
  }

  /**
   * @param {RequestBody[]} items
   * @param {string} idempotencyKey the same key replays the first answer: nothing is created twice
   */
  async create(items, idempotencyKey) {
    const headers = { 'Idempotency-Key': idempotencyKey };
    return /** @type {BatchItemResult[]} */ (
      /** @type {z.infer<typeof batchResult>} */ (
        await sendJson(this.#client, 'POST', '', { body: { items }, headers })
      ).items
    );
  }
}
