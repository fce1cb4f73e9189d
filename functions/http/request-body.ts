import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '../shared/errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

const isJson = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
};

const bodyBytes = (event: APIGatewayProxyEvent): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

/** The size is checked before the media type so a huge body is always a 413. */
export const readJsonBody = (
  event: APIGatewayProxyEvent,
  maxBytes: number = MAX_BODY_BYTES,
): unknown => {
  const bytes = bodyBytes(event);
  if (bytes.length > maxBytes) {
    throw new PayloadTooLarge(
      `The body is ${bytes.length} bytes; at most ${maxBytes} are accepted.`,
    );
  }
  if (!isJson(event.headers['content-type'] ?? event.headers['Content-Type'])) {
    throw new UnsupportedMediaType('Send the body as application/json.');
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationFailed([{ path: '(body)', message: 'The body is not valid JSON.' }]);
  }
};

/**
 * The activation form: a decision and at most 500 characters of reason, which URL-encoded
 * UTF-8 can make up to 6,000 bytes (4 bytes a character, 3 a byte).
 */
export const MAX_FORM_BYTES = 8192;

export const readFormBody = (event: APIGatewayProxyEvent): URLSearchParams => {
  const bytes = bodyBytes(event);
  if (bytes.length > MAX_FORM_BYTES) throw new PayloadTooLarge('The form is too large.');
  return new URLSearchParams(bytes.toString('utf8'));
};
