import { request as httpRequest } from 'node:http';
import type { RunningStack } from '../../local/stack.ts';
import { activationLink, type PartnerClient, validRequest } from './local-stack.ts';

/** The customer's side of the local stack: the activation page, its forms and the decision. */

export interface PageResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

export interface ActivationForm {
  readonly action: string;
  readonly decision: string;
  /** Every field the form posts, by name. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface Pending {
  readonly id: string;
  /** The create body as sent. */
  readonly body: ReturnType<typeof validRequest>;
  // biome-ignore lint/suspicious/noExplicitAny: the resource as the API returned it
  readonly resource: any;
  readonly customerEmail: string;
  readonly userEmails: readonly string[];
  readonly link: string;
  /** The activation code: the link's last path segment. */
  readonly code: string;
}

export const decodeEntities = (value: string): string =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The page's <h1>, which names the outcome the customer is shown. */
export const headingOf = (html: string): string =>
  decodeEntities(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');

/** The two forms of an activation page: where they post, their decision and every field. */
export const formsOf = (html: string): ActivationForm[] =>
  [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map(([form]) => {
    const action = /action="([^"]*)"/.exec(form)?.[1] ?? '';
    const fields = Object.fromEntries(
      Array.from(form.matchAll(/<input\b[^>]*\bname="([^"]*)" value="([^"]*)"/g), (input) => [
        decodeEntities(input[1] ?? ''),
        decodeEntities(input[2] ?? ''),
      ]),
    );
    return { action: decodeEntities(action), decision: fields.decision ?? '', fields };
  });

/** One request to a customer page; redirects are returned, not followed. */
let pageClients = 0;

/**
 * One customer's request for a page, from a loopback address of its own (127.2.x.y): the
 * activation routes limit lookups per client address, and many customers opening their
 * links at once are many clients, not one. Redirects are not followed.
 */
export const fetchPage = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PageResponse> =>
  new Promise((resolve, reject) => {
    const n = pageClients++;
    const target = new URL(url.replace('//localhost:', '//127.0.0.1:'));
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: init.method ?? 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...init.headers },
        localAddress: `127.2.${Math.floor(n / 254) % 254}.${1 + (n % 254)}`,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const one of [value].flat()) if (one !== undefined) headers.append(name, one);
          }
          resolve({
            status: response.statusCode ?? 0,
            headers,
            html: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });

/** A request created by `partner`, its activation e-mail received and its page read. */
export const createPending = async (
  stack: RunningStack,
  partner: PartnerClient,
  overrides: Record<string, unknown> = {},
): Promise<Pending> => {
  const body = validRequest(overrides);
  const created = await partner.create(body);
  // Plain errors instead of expect(): the benchmark uses these helpers outside vitest too.
  if (created.status !== 202) throw new Error(`create answered ${created.status}: ${created.text}`);
  const link = await activationLink(stack, body.customerEmail);
  const page = await fetchPage(link);
  if (page.status !== 200) throw new Error(`the activation page answered ${page.status}`);
  return {
    id: created.body.id,
    body,
    resource: created.body,
    customerEmail: body.customerEmail,
    userEmails: body.userEmails as string[],
    link,
    code: link.slice(link.lastIndexOf('/') + 1),
  };
};

/**
 * Posts form `fields` to an activation link, like a browser submitting the page's form; by
 * default from our own origin.
 */
export const postDecision = (
  link: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { Origin: new URL(link).origin },
): Promise<PageResponse> =>
  fetchPage(link, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/** Posts `decision` for a request the way its page's form does: from our own Origin. */
export const decide = (
  request: Pick<Pending, 'link'>,
  decision: string,
  headers?: Record<string, string>,
): Promise<PageResponse> => postDecision(request.link, { decision }, headers);
