import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { apiKeys } from '../adapters/wiring.ts';
import { authenticate } from '../domain/api-key-management.ts';
import { observedHandler } from '../shared/observability.ts';

const keys = apiKeys();

const bearerKey = (event: APIGatewayRequestAuthorizerEvent): string | undefined => {
  const header = event.headers?.Authorization ?? event.headers?.authorization;
  const match = header?.match(/^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/);
  return match?.[1];
};

/**
 * REQUEST authorizer: Bearer key -> partner (functions/domain/api-key-management.ts). API
 * Gateway caches the answer per key, so the policy allows the whole API rather than the one
 * method that happened to ask first; a revoke flushes that cache. Throwing "Unauthorized" is API
 * Gateway's way to answer 401.
 */
export const handler = observedHandler(
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const key = bearerKey(event);
    const partner = key ? (await authenticate(keys, key))?.partner : undefined;
    if (!partner) throw new Error('Unauthorized');
    const [arnPrefix, stage] = event.methodArn.split('/');
    return {
      principalId: partner.id,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` },
        ],
      },
      context: { partnerId: partner.id, partnerName: partner.name },
    };
  },
);
