import { json } from '../http/responses.ts';
import { observedHandler } from '../shared/observability.ts';

export const handler = observedHandler(async () => json(200, { status: 'ok' }));
