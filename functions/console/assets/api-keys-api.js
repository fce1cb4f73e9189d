/**
 * @import { ApiKeyList, ApiKeyResource, ApiKeyWithSecret, CreateApiKeyBody } from '../../domain/api-key-schemas.ts'
 * @import { ApiClientOptions } from './api-client.js'
 */
import { sendJson } from './api-client.js';

/**
 * The partner's API keys as the console uses them (`/v1/api-keys`). The shapes are the server's
 * own zod schemas (functions/domain/api-key-schemas.ts).
 */

/** @typedef {ApiKeyResource} ApiKey */
/** The create's answer, the only one with the key. @typedef {ApiKeyWithSecret} CreatedKey */
/** @typedef {CreateApiKeyBody} ApiKeyBody */

export class ApiKeysApi {
  /** @type {ApiClientOptions} */
  #client;

  /** @param {ApiClientOptions} options as ApiClient's, with the keys collection as `base` */
  constructor(options) {
    this.#client = options;
  }

  async list() {
    return /** @type {ApiKeyList} */ (await sendJson(this.#client, 'GET', '')).items;
  }

  /** @param {ApiKeyBody} body */
  async create(body) {
    return /** @type {CreatedKey} */ (await sendJson(this.#client, 'POST', '', { body }));
  }

  /** @param {string} id */
  async revoke(id) {
    await sendJson(this.#client, 'DELETE', `/${encodeURIComponent(id)}`);
  }
}
