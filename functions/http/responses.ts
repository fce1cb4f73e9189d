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

/** 204: done, nothing to say (a DELETE). */
export const noContent = (): APIGatewayProxyResult => ({
  statusCode: 204,
  headers: { 'Cache-Control': 'no-store', ...jsonSecurityHeaders },
  body: '',
});
