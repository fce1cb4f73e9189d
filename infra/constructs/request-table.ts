import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  filterIndexes,
  filterIndexProjection,
  PARTNER_REQUESTS_INDEX,
  PENDING_DELIVERIES_INDEX,
  SWEEP_INDEX,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../table-schema.ts';

/** The one DynamoDB table. It holds every request ever made, so it outlives the stack. */
export class RequestTable extends Construct {
  readonly table: dynamodb.Table;

  /**
   * `filterIndexes`: how many of the list's filter indexes to deploy, in their order (all by
   * default). CloudFormation creates one index per update of a deployed table, so a table
   * from before them gets them one deploy at a time (README, "Upgrading").
   */
  constructor(scope: Construct, id: string, props: { readonly filterIndexes?: number } = {}) {
    super(scope, id);

    const text = (name: string): dynamodb.Attribute => ({
      name,
      type: dynamodb.AttributeType.STRING,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: text(TABLE_KEYS.partitionKey),
      sortKey: text(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The old image of every deleted item: a request DynamoDB's TTL deleted tells its
      // retention handler what else to delete (functions/events/forget-expired.ts).
      stream: dynamodb.StreamViewType.OLD_IMAGE,
    });

    this.table.addGlobalSecondaryIndex({
      indexName: PARTNER_REQUESTS_INDEX.indexName,
      partitionKey: text(PARTNER_REQUESTS_INDEX.partitionKey),
      sortKey: text(PARTNER_REQUESTS_INDEX.sortKey),
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // Sparse: only unsettled requests carry its keys (functions/domain/sweep.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: SWEEP_INDEX.indexName,
      partitionKey: text(SWEEP_INDEX.partitionKey),
      sortKey: text(SWEEP_INDEX.sortKey),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...SWEEP_INDEX.projected],
    });

    // Sparse: only pending webhook deliveries carry its keys (functions/domain/delivery-sweep.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: PENDING_DELIVERIES_INDEX.indexName,
      partitionKey: text(PENDING_DELIVERIES_INDEX.partitionKey),
      sortKey: text(PENDING_DELIVERIES_INDEX.sortKey),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...PENDING_DELIVERIES_INDEX.projected],
    });

    // The list's filters: keys only plus the other filters' keys, so a request's update writes
    // them only when a filtered value changes (functions/adapters/table-keys.ts).
    for (const index of filterIndexes.slice(0, props.filterIndexes ?? filterIndexes.length)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: text(index.partitionKey),
        sortKey: text(index.sortKey),
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: filterIndexProjection(index),
      });
    }
  }

  /** The partner-requests index, by exact ARN: no `index/*` wildcard in any policy. */
  get partnerRequestsIndexArn(): string {
    return `${this.table.tableArn}/index/${PARTNER_REQUESTS_INDEX.indexName}`;
  }
}
