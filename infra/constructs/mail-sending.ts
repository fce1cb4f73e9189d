import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MailSendingProps {
  readonly senderDomain: string;
  /** Handles BOUNCE and COMPLAINT events (functions/events/ses-feedback). */
  readonly feedbackHandler: lambda.IFunction;
}

/** SES events the feedback handler acts on, as SES and as EventBridge name them. */
export const FEEDBACK_EVENTS = [
  { ses: ses.EmailSendingEvent.BOUNCE, detailType: 'Email Bounced' },
  { ses: ses.EmailSendingEvent.COMPLAINT, detailType: 'Email Complaint Received' },
] as const;

/**
 * The sender domain identity, the configuration set every message goes through, and the
 * route from bounces/complaints back into the workflow.
 */
export class MailSending extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  /** CloudFormation gives a configuration set no ARN attribute, so it is formatted from its name. */
  readonly configurationSetArn: string;
  /** Feedback events the handler could not process, kept for replay. */
  readonly feedbackDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      sendingEnabled: true,
      reputationMetrics: true,
      // The link in the mail is a bearer credential for the activation; never send it in clear.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Open/click tracking would rewrite the activation link and fetch it through a tracking
      // domain. SES tracks only when an OPEN/CLICK event destination exists (none here) or when
      // the account's VDM engagement tracking is on, which this overrides for our messages.
      vdmOptions: { engagementMetrics: false },
    });

    this.identity = new ses.EmailIdentity(this, 'SenderDomain', {
      identity: ses.Identity.domain(props.senderDomain),
      // Messages sent without naming the set still get its TLS policy and event destination.
      configurationSet: this.configurationSet,
      dkimSigning: true,
    });

    new ses.ConfigurationSetEventDestination(this, 'FeedbackToEventBridge', {
      configurationSet: this.configurationSet,
      destination: ses.EventDestination.eventBus(
        events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      ),
      events: FEEDBACK_EVENTS.map((event) => event.ses),
    });

    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.feedbackDeadLetterQueue = new sqs.Queue(this, 'FeedbackDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // A lost bounce would leave a request waiting 90 days for a customer who never got the mail.
    props.feedbackHandler.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(this.feedbackDeadLetterQueue),
    });

    new events.Rule(this, 'FeedbackRule', {
      description: 'SES bounces and complaints of this configuration set -> ses-feedback',
      eventPattern: {
        source: ['aws.ses'],
        detailType: FEEDBACK_EVENTS.map((event) => event.detailType),
        detail: {
          mail: {
            tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] },
          },
        },
      },
      targets: [
        new targets.LambdaFunction(props.feedbackHandler, {
          deadLetterQueue: this.feedbackDeadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * SESv2 SendEmail is authorized against both the sending identity and the configuration set
   * the message goes through. Only ses:SendEmail, the action SESv2 SendEmail is authorized as
   * (the identity's grantSendEmail would add SendRawEmail too).
   */
  grantSendEmail(grantee: iam.IGrantable): iam.Grant {
    return this.identity.grant(grantee, 'ses:SendEmail').combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['ses:SendEmail'],
        resourceArns: [this.configurationSetArn],
      }),
    );
  }
}
