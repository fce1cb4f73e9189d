import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });

const recipientsOf = (body: Buffer): string[] => {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    };
    const { ToAddresses = [], CcAddresses = [], BccAddresses = [] } = parsed.Destination ?? {};
    return [...ToAddresses, ...CcAddresses, ...BccAddresses];
  } catch {
    return [];
  }
};

/**
 * Test hook (opt-in through `startStack({ sesRejectedRecipients })`): a pass-through in front
 * of aws-ses-v2-local that answers SendEmail to any of `rejected` the way SES refuses a
 * suppressed or unverified address (400, `MessageRejected`). Everything else is forwarded.
 */
export const createRejectingSesProxy = (
  upstreamPort: number,
  host: string,
  rejected: readonly string[],
): Server => {
  const refused = new Set(rejected.map((address) => address.toLowerCase()));
  return createServer(async (incoming, outgoing) => {
    const body = await readBody(incoming);
    const refusedRecipient =
      incoming.method === 'POST' && incoming.url?.split('?')[0] === SEND_EMAIL_PATH
        ? recipientsOf(body).find((address) => refused.has(address.toLowerCase()))
        : undefined;
    if (refusedRecipient) {
      outgoing.writeHead(400, {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'MessageRejected',
      });
      outgoing.end(JSON.stringify({ message: `Email address is suppressed: ${refusedRecipient}` }));
      return;
    }
    const upstream = forward(
      {
        host,
        port: upstreamPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    upstream.end(body);
  });
};
