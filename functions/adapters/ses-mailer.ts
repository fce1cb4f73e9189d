import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../domain/ports.ts';
import { EmailRejected, EmailThrottled } from '../shared/errors.ts';

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
      if (error instanceof Error && PERMANENT.has(error.name)) {
        const rejected = new EmailRejected(`SES refused the message: ${error.name}`);
        rejected.cause = error;
        throw rejected;
      }
      const throttled = new EmailThrottled(
        `SES did not accept the message for now: ${error instanceof Error ? error.name : 'unknown'}`,
      );
      throttled.cause = error;
      throw throttled;
    }
  }
}
