import { describe, expect, it } from 'vitest';
import { findScans } from '../../../bench/scan-check.ts';

describe('findScans', () => {
  it.each([
    "import { ScanCommand } from '@aws-sdk/lib-dynamodb';",
    'await client.send(new ScanCommand({ TableName }));',
    'const input: ScanCommandInput = {};',
    "import { paginateScan } from '@aws-sdk/client-dynamodb';",
    "headers: { 'X-Amz-Target': 'DynamoDB_20120810.Scan' }",
    'documentClient.scan(params).promise();',
    "await client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM t' }));",
  ])('flags %s', (line) => {
    expect(findScans('f.ts', line)).toEqual([{ file: 'f.ts', line: 1, text: line }]);
  });

  it.each([
    'ScanIndexForward: false,',
    '// mail scanners prefetch links',
    "const scanner = 'x';",
    'new QueryCommand({ KeyConditionExpression })',
  ])('does not flag %s', (line) => {
    expect(findScans('f.ts', line)).toEqual([]);
  });

  it('reports the line number', () => {
    expect(findScans('f.ts', 'a\nb\nnew ScanCommand({})')[0]?.line).toBe(3);
  });
});
