import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { describe, expect, it } from 'vitest';
import {
  createTableInput,
  PARTNER_REQUESTS_INDEX,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../../infra/table-schema.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import { functionOf, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate();
const [, table] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];

describe('the DynamoDB table', () => {
  it('matches docs/architecture.md: PK/SK, GSI1 on GSI1PK/GSI1SK, TTL attribute ttl', () => {
    expect(TABLE_KEYS).toEqual({ partitionKey: 'PK', sortKey: 'SK' });
    expect(PARTNER_REQUESTS_INDEX).toEqual({
      indexName: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
    });
    expect(TTL_ATTRIBUTE).toBe('ttl');
  });

  it('is deployed with exactly the key schema the local stack creates', () => {
    const local = createTableInput('any');
    const sortByName = <T extends { AttributeName?: string }>(items: T[]) =>
      [...items].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

    expect(sortByName(table.Properties.AttributeDefinitions)).toEqual(
      sortByName(local.AttributeDefinitions ?? []),
    );
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(table.Properties.BillingMode).toBe(local.BillingMode);
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: TTL_ATTRIBUTE,
      Enabled: true,
    });
  });

  it('has point-in-time recovery, deletion protection and survives stack deletion', () => {
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('createTableInput creates the table on dynalite (what `npm start` does)', async () => {
    const server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await client.send(new CreateTableCommand(createTableInput('requests')));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'requests' }));
      expect(Table?.KeySchema).toEqual(createTableInput('requests').KeySchema);
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
        'GSI1',
        'Sweep',
        'PendingDeliveries',
        'PartnerStatus',
        'PartnerDomain',
        'PartnerCustomer',
        'PartnerExpiry',
        'PartnerStatusExpiry',
      ]);
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('upgrading a deployed table', () => {
  it('deploys only as many filter indexes as filterIndexes says, in their order', () => {
    const names = (filterIndexes: number) =>
      (
        (resourcesOfType(synthesizedTemplate({ filterIndexes }), 'AWS::DynamoDB::Table')[0]?.[1]
          .Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]
      ).map((index) => index.IndexName);
    expect(names(0)).toEqual(['GSI1', 'Sweep', 'PendingDeliveries']);
    expect(names(1)).toEqual(['GSI1', 'Sweep', 'PendingDeliveries', 'PartnerStatus']);
  });
});

describe('retention on AWS', () => {
  const template = synthesizedTemplate();

  it('streams the old image of deleted items, and hands only TTL removals of requests to the retention handler', () => {
    const [, table] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];
    expect(table?.Properties.StreamSpecification).toEqual({ StreamViewType: 'OLD_IMAGE' });
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] ?? [];
    const [functionId] = functionOf(template, 'events/forget-expired');
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
    });
    const criteria = mapping?.Properties.FilterCriteria as { Filters: { Pattern: string }[] };
    const patterns = criteria.Filters.map((filter) => JSON.parse(filter.Pattern));
    expect(patterns).toEqual([
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { OldImage: { entity: { S: ['REQUEST'] } } },
      },
    ]);
  });
});
