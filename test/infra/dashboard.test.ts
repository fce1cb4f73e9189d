import { describe, expect, it } from 'vitest';
import { synthesizedTemplate } from './support/service-app.ts';
import { type Json, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate();

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: Json[][] };
}

/**
 * The dashboard body as CloudWatch reads it: the template joins JSON text around tokens
 * (region, alarm ARNs), which all stand inside JSON strings.
 */
const dashboardWidgets = (): Widget[] => {
  const [, dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard')[0] ?? [];
  const body = dashboard.Properties.DashboardBody;
  const text = body['Fn::Join']
    ? (body['Fn::Join'][1] as Json[])
        .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
        .join('')
    : body;
  return JSON.parse(text).widgets;
};

/** The graph titled `title`, its metrics as [namespace, name, dimension, value, …]. */
const graphMetrics = (title: string): Json[][] => {
  const widget = dashboardWidgets().find((candidate) => candidate.properties.title === title);
  expect(widget, title).toBeDefined();
  return widget?.properties.metrics ?? [];
};

const SERVICE = ['service', 'smart-account-requests'];

describe('the dashboard graphs the business metrics the handlers record', () => {
  it('requests created, activation e-mails sent and idempotent replays', () => {
    expect(graphMetrics('Requests and activation e-mails')).toEqual([
      [
        'SmartAccountRequests',
        'RequestCreated',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'ActivationEmailSent',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'IdempotentReplay',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
    ]);
  });

  it('settled requests, one line per outcome, by the status dimension', () => {
    const lines = graphMetrics('Requests settled, by outcome');
    const statuses = lines.map((line) => {
      expect(line.slice(0, 4)).toEqual(['SmartAccountRequests', 'RequestSettled', ...SERVICE]);
      expect(line[4]).toBe('status');
      return line[5];
    });
    expect(statuses).toEqual(['ACTIVE', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED']);
  });
});
