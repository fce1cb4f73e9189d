import type { APIGatewayProxyResult } from 'aws-lambda';
import { jsonSecurityHeaders } from './security-headers.ts';

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    ...jsonSecurityHeaders,
    ...headers,
  },
  body: JSON.stringify(body),
});
