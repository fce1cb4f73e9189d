import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../domain/ports.ts';
import { EmailRejected, EmailThrottled } from '../shared/errors.ts';
import { isTransient } from './dependency-errors.ts';

/** Refusals that no retry will change: the address or the message is not accepted. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
]);

/**
 * What of an SDK error may travel as `cause` (and so into logs): SES error messages can quote
 * the recipient's address ("... failed the check: it@acme.example"), so not the message.
 */
const causeOf = (error: unknown) => ({
  name: error instanceof Error ? error.name : 'unknown',
  requestId: (error as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId,
});

/**
 * A refusal no retry changes is EmailRejected (the ASL fails the request, Settle skips that
 * recipient); a transient failure is EmailThrottled, the DependencyUnavailable the ASL retries
 * longest. Anything else is a bug and keeps its name, but not its message.
 */
const mailError = (error: unknown): Error => {
  const name = error instanceof Error ? error.name : 'unknown';
  if (PERMANENT.has(name)) {
    return new EmailRejected(`SES refused the message: ${name}`, { cause: causeOf(error) });
  }
  if (isTransient(error)) {
    return new EmailThrottled(`SES did not accept the message for now: ${name}`, {
      cause: causeOf(error),
    });
  }
  const failure = new Error(`SES failed: ${name}`, { cause: causeOf(error) });
  failure.name = name;
  return failure;
};

/**
 * SES v2 with Simple content: SES builds the MIME headers itself, so no field of ours can add
 * a header. Tags name the request and the mail's purpose for the bounce/complaint handler.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly fromAddress: string,
    private readonly configurationSetName?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.fromAddress,
          Destination: { ToAddresses: [...email.to] },
          ConfigurationSetName: this.configurationSetName,
          EmailTags: Object.entries(email.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: email.text, Charset: 'UTF-8' },
                Html: { Data: email.html, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      return result.MessageId ?? '';
    } catch (error) {
      throw mailError(error);
    }
  }
}
