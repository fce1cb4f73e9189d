import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.ts';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field
  readonly body: any;
  readonly text: string;
}

export interface SentMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { html?: string; text?: string };
  readonly at: number;
}

export const startTestStack = (options: StackOptions = {}): Promise<RunningStack> =>
  startStack({
    partnerKeys: [`sak_test_partner_one_${process.pid}`, `sak_test_partner_two_${process.pid}`],
    retryIntervalMs: 10,
    logLevel: 'WARN',
    ...options,
  });

/** A partner-side HTTP client for the local API. */
export const partnerClient = (stack: RunningStack, key: string | undefined) => {
  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...(key ? { Authorization: `Bearer ${key}` } : {}) };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { ...headers, ...options.headers },
      body:
        options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  };
  return {
    call,
    create: (body: unknown, headers?: Record<string, string>) =>
      call('POST', '/v1/smart-account-requests', { body, headers }),
    get: (id: string) => call('GET', `/v1/smart-account-requests/${id}`),
    list: (query = '') => call('GET', `/v1/smart-account-requests${query}`),
    cancel: (id: string) => call('POST', `/v1/smart-account-requests/${id}/cancel`),
    resend: (id: string) => call('POST', `/v1/smart-account-requests/${id}/resend`),
    patch: (id: string, body: unknown) =>
      call('PATCH', `/v1/smart-account-requests/${id}`, { body }),
    extend: (id: string, expiresAt: string) =>
      call('POST', `/v1/smart-account-requests/${id}/extend`, { body: { expiresAt } }),
  };
};

export type PartnerClient = ReturnType<typeof partnerClient>;

export const sentMail = async (stack: RunningStack): Promise<SentMail[]> => {
  const response = await fetch(`${stack.sesUrl}/store`);
  const store = (await response.json()) as { emails: SentMail[] };
  return store.emails;
};

export const mailTo = async (stack: RunningStack, address: string): Promise<SentMail[]> =>
  (await sentMail(stack)).filter((mail) => mail.destination.to.includes(address));

export const waitFor = async <T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the partner API reports `status` for the request, and returns the resource. */
export const statusBecomes = (
  partner: PartnerClient,
  requestId: string,
  status: string,
  timeoutMs = 15_000,
) =>
  waitFor(
    async () => {
      const response = await partner.get(requestId);
      return response.body?.status === status && response.body;
    },
    `request ${requestId} to become ${status}`,
    timeoutMs,
  );

/** The activation link from the newest activation e-mail to `address`. */
export const activationLink = async (stack: RunningStack, address: string): Promise<string> =>
  waitFor(async () => {
    const mails = await mailTo(stack, address);
    for (const mail of mails.reverse()) {
      const match = mail.body.text?.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/);
      if (match) return match[0];
    }
    return undefined;
  }, `an activation e-mail to ${address}`);

/** The ARN of the execution the workflow runs for a request (named after its id). */
export const executionArnOf = (stack: RunningStack, requestId: string): string =>
  `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${requestId}`;

export const describeExecution = async (stack: RunningStack, requestId: string) => {
  const client = new SFNClient({ endpoint: stack.stepFunctionsUrl });
  try {
    return await client.send(
      new DescribeExecutionCommand({
        executionArn: executionArnOf(stack, requestId),
      }),
    );
  } finally {
    client.destroy();
  }
};

export const executionStatus = async (stack: RunningStack, requestId: string) =>
  (await describeExecution(stack, requestId)).status;

let counter = 0;
/** A valid create body with a domain unique to this test run. */
export const validRequest = (overrides: Record<string, unknown> = {}) => {
  counter += 1;
  const domain = `acme-${process.pid}-${counter}.example`;
  return {
    accountName: 'Acme BV',
    accountDomain: domain,
    customerEmail: `it@${domain}`,
    noteToCustomer: 'Please activate before Friday.',
    userEmails: [`a@${domain}`, `b@${domain}`],
    noteToUsers: 'Welcome aboard.',
    locale: 'en',
    ...overrides,
  };
};
