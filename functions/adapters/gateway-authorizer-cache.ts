import {
  type APIGatewayClient,
  FlushStageAuthorizersCacheCommand,
} from '@aws-sdk/client-api-gateway';
import type { AuthorizerCache } from '../domain/api-keys.ts';
import { Dependency } from '../shared/errors.ts';
import { callDependency } from './dependency-errors.ts';

/**
 * API Gateway caches the authorizer's answer per Authorization header for 5 minutes
 * (infra/constructs/service-api.ts); a revoked key must answer 401 from the next request on, so
 * the revoke flushes the stage's authorizer cache. The local stack points the same SDK call at
 * its gateway (AWS_ENDPOINT_URL_API_GATEWAY, local/api-gateway.ts), which empties its own cache.
 * The whole stage's cache goes: every other key is authorized again once, which is one GetItem
 * pair each.
 */
export class GatewayAuthorizerCache implements AuthorizerCache {
  constructor(
    private readonly client: APIGatewayClient,
    /** Read at the call, so a handler module loads without them (settings are the catalog's). */
    private readonly stage: () => { readonly restApiId: string; readonly stageName: string },
  ) {}

  async flush(): Promise<void> {
    const { restApiId, stageName } = this.stage();
    await callDependency(Dependency.GATEWAY, () =>
      this.client.send(new FlushStageAuthorizersCacheCommand({ restApiId, stageName })),
    );
  }
}
