import { json } from '../http/responses.ts';
import { observedHandler } from '../shared/observability.ts';
import { openApiDocument } from './openapi-document.ts';

const document = openApiDocument();

export const handler = observedHandler(async () =>
  json(200, document, { 'Cache-Control': 'public, max-age=300' }),
);
