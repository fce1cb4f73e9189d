import { json } from '../http/responses.ts';

export const handler = async () => json(200, { status: 'ok' });
