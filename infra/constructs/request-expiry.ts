import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RequestExpiryProps {
  readonly table: dynamodb.ITable;
  readonly handler: lambda.IFunction;
}

/**
 * Retention on AWS (functions/domain/retention.ts): DynamoDB's TTL deletes a request item at
 * its `retainUntil`; the table's stream hands that removal to the handler, which deletes the
 * rest and moves the counters. Only TTL removals of request items reach it (the filter), so
 * the function is not invoked for the table's other changes.
 */
export class RequestExpiry extends Construct {
  /** Records that failed all their retries, kept 14 days for a look. */
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: RequestExpiryProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.handler.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.deadLetters),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('REMOVE'),
            userIdentity: {
              type: lambda.FilterRule.isEqual('Service'),
              principalId: lambda.FilterRule.isEqual('dynamodb.amazonaws.com'),
            },
            dynamodb: { OldImage: { entity: { S: lambda.FilterRule.isEqual('REQUEST') } } },
          }),
        ],
      }),
    );
  }
}
