import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, built once per Lambda container. No endpoints here: the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB / _SFN / _SESV2 / _EVENTBRIDGE / _API_GATEWAY, which only the local
 * stack sets.
 */
export const createDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });

export const createSfnClient = (): SFNClient => new SFNClient({});

export const createSesClient = (): SESv2Client => new SESv2Client({});

export const createEventBridgeClient = (): EventBridgeClient => new EventBridgeClient({});

/** API Gateway's management API: only the revoke of an API key calls it (the cache flush). */
export const createApiGatewayClient = (): APIGatewayClient => new APIGatewayClient({});
