import { newEndpointId, newEventId } from '../shared/crypto.ts';
import {
  Dependency,
  DependencyUnavailable,
  EndpointLimitReached,
  NotFound,
  ValidationFailed,
} from '../shared/errors.ts';
import {
  MAX_ENDPOINTS,
  newDelivery,
  newEndpoint,
  rotatedSecrets,
  testEvent,
} from './webhook-endpoints.ts';
import type {
  Delivery,
  DeliveryPage,
  DeliveryStarter,
  DeliveryStore,
  WebhookEndpoint,
  WebhookEndpointStore,
} from './webhook-ports.ts';
import type { AddEndpointInput, ListDeliveriesQuery } from './webhook-schemas.ts';

/**
 * What the partner does with its webhook endpoints, one function per action of the API
 * (functions/api/webhooks/). Every action first finds the endpoint under the caller's own
 * partner key, so another partner's endpoint is a 404, exactly like one that does not exist.
 */

/** Why this URL may not be called, or undefined (functions/webhooks/address-check.ts, wired). */
export type AddressCheck = (url: string) => Promise<string | undefined>;

const notFound = () => new NotFound('No such webhook endpoint.');

const ownEndpoint = async (
  endpoints: WebhookEndpointStore,
  partnerId: string,
  endpointId: string,
): Promise<WebhookEndpoint> => {
  const endpoint = await endpoints.get(partnerId, endpointId);
  if (!endpoint) throw notFound();
  return endpoint;
};

export interface AddedEndpoint {
  readonly endpoint: WebhookEndpoint;
  /** Shown to the partner once, in the create's answer. */
  readonly secret: string;
}

/**
 * Adds an endpoint after the address check (https, no credentials, a host that is and resolves
 * to public addresses only); the 11th is refused by the store's conditional reservation.
 */
export const addEndpoint = async (
  deps: {
    readonly endpoints: WebhookEndpointStore;
    readonly checkAddress: AddressCheck;
    readonly newSecret: () => string;
  },
  partnerId: string,
  input: AddEndpointInput,
  now: Date = new Date(),
): Promise<AddedEndpoint> => {
  const problem = await deps.checkAddress(input.url);
  if (problem) throw new ValidationFailed([{ path: 'url', message: problem }]);
  const secret = deps.newSecret();
  const endpoint = newEndpoint(partnerId, input, { id: newEndpointId(), secret, now });
  if (!(await deps.endpoints.create(endpoint, MAX_ENDPOINTS))) {
    throw new EndpointLimitReached(
      `You have ${MAX_ENDPOINTS} webhook endpoints, the most allowed: delete one before adding another.`,
    );
  }
  return { endpoint, secret };
};

export const removeEndpoint = async (
  endpoints: WebhookEndpointStore,
  partnerId: string,
  endpointId: string,
): Promise<void> => {
  if (!(await endpoints.delete(partnerId, endpointId))) throw notFound();
};

/** Rounds a rotation tries before giving up to concurrent rotations of the same endpoint. */
const ROTATION_ROUNDS = 3;

/**
 * A new current secret; the one it replaces keeps signing for the overlap. The write is
 * conditional on the secret it replaces: of two rotations at once one wins, and the other
 * computes again from the winner's secrets, so both secrets shown stay valid.
 */
export const rotateSecret = async (
  endpoints: WebhookEndpointStore,
  partnerId: string,
  endpointId: string,
  newSecret: string,
  now: Date = new Date(),
): Promise<WebhookEndpoint> => {
  for (let round = 0; round < ROTATION_ROUNDS; round++) {
    const endpoint = await ownEndpoint(endpoints, partnerId, endpointId);
    const current = endpoint.secrets[0]?.secret ?? '';
    // Our own write of an earlier round, whose reply was lost and whose retry then failed.
    if (current === newSecret) return endpoint;
    const rotated = await endpoints.rotate(
      partnerId,
      endpointId,
      rotatedSecrets(endpoint, newSecret, now),
      current,
    );
    if (rotated) return rotated;
  }
  throw new DependencyUnavailable('Concurrent rotations of one endpoint kept winning', {
    dependency: Dependency.TABLE,
  });
};

/** Delivers a `webhook.test` event to this endpoint, whatever its event filter. */
export const sendTestEvent = async (
  deps: {
    readonly endpoints: WebhookEndpointStore;
    readonly deliveries: DeliveryStore;
    readonly starter: DeliveryStarter;
  },
  partnerId: string,
  endpointId: string,
  now: Date = new Date(),
): Promise<Delivery> => {
  const endpoint = await ownEndpoint(deps.endpoints, partnerId, endpointId);
  const event = testEvent(endpoint.id, newEventId(), now);
  const delivery = newDelivery(endpoint, event, JSON.stringify(event));
  await deps.deliveries.create(delivery);
  await deps.starter.start(endpoint.id, event.id);
  return delivery;
};

/** One page of an endpoint's deliveries, newest first. */
export const endpointDeliveries = async (
  deps: { readonly endpoints: WebhookEndpointStore; readonly deliveries: DeliveryStore },
  partnerId: string,
  endpointId: string,
  query: ListDeliveriesQuery,
): Promise<DeliveryPage> => {
  await ownEndpoint(deps.endpoints, partnerId, endpointId);
  return deps.deliveries.list(endpointId, query);
};

/**
 * Delivers one event again, from attempt 1 and with a fresh retry schedule. Reopening resets
 * the attempt count, so an earlier run still retrying it finds its next conditional write
 * refused and stops: one delivery runs at a time.
 */
export const redeliver = async (
  deps: {
    readonly endpoints: WebhookEndpointStore;
    readonly deliveries: DeliveryStore;
    readonly starter: DeliveryStarter;
  },
  partnerId: string,
  endpointId: string,
  eventId: string,
  now: Date = new Date(),
): Promise<Delivery> => {
  await ownEndpoint(deps.endpoints, partnerId, endpointId);
  const reopened = await deps.deliveries.reopen(endpointId, eventId, now.toISOString());
  if (!reopened) throw new NotFound('No such delivery for this endpoint.');
  await deps.starter.start(endpointId, eventId, reopened.redeliveries);
  return reopened;
};
