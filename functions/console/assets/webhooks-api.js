/**
 * @import * as z from 'zod'
 * @import { AddEndpointBody, DeliveryList, DeliveryResource, WebhookEndpointList, WebhookEndpointResource, WebhookEndpointWithSecret } from '../../domain/webhook-schemas.ts'
 * @import { ApiClientOptions } from './api-client.js'
 */
import { sendJson } from './api-client.js';

/**
 * The partner's webhook endpoints as the console uses them (`/v1/webhook-endpoints`). The
 * shapes are the server's own zod schemas (functions/domain/webhook-schemas.ts).
 */

/** @typedef {WebhookEndpointResource} Endpoint */
/** The create's and the rotation's answer, the only ones with the secret. @typedef {WebhookEndpointWithSecret} EndpointWithSecret */
/** @typedef {DeliveryResource} Delivery */
/** @typedef {AddEndpointBody} EndpointBody */

export class WebhookApi {
  /** @type {ApiClientOptions} */
  #client;

  /** @param {ApiClientOptions} options as ApiClient's, with the endpoints collection as `base` */
  constructor(options) {
    this.#client = options;
  }

  async list() {
    return /** @type {WebhookEndpointList} */ (await sendJson(this.#client, 'GET', '')).items;
  }

  /** @param {EndpointBody} body */
  async add(body) {
    return /** @type {EndpointWithSecret} */ (await sendJson(this.#client, 'POST', '', { body }));
  }

  /** @param {string} id */
  async remove(id) {
    await sendJson(this.#client, 'DELETE', `/${encodeURIComponent(id)}`);
  }

  /** @param {string} id */
  async rotateSecret(id) {
    return /** @type {EndpointWithSecret} */ (
      await sendJson(this.#client, 'POST', `/${encodeURIComponent(id)}/rotate-secret`)
    );
  }

  /** @param {string} id */
  async sendTest(id) {
    return /** @type {Delivery} */ (
      await sendJson(this.#client, 'POST', `/${encodeURIComponent(id)}/test`)
    );
  }

  /**
   * @param {string} id
   * @param {{ limit: number, cursor?: string | null }} page
   */
  async deliveries(id, { limit, cursor }) {
    const params = new URLSearchParams({ limit: String(limit) });
    if (cursor) params.set('cursor', cursor);
    return /** @type {DeliveryList} */ (
      await sendJson(this.#client, 'GET', `/${encodeURIComponent(id)}/deliveries?${params}`)
    );
  }

  /**
   * @param {string} id
   * @param {string} eventId
   */
  async redeliver(id, eventId) {
    return /** @type {Delivery} */ (
      await sendJson(
        this.#client,
        'POST',
        `/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(eventId)}/redeliver`,
      )
    );
  }
}
