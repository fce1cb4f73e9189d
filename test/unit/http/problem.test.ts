import { describe, expect, it } from 'vitest';
import { problemFor } from '../../../functions/http/problem.ts';
import {
  Dependency,
  DependencyUnavailable,
  EmailThrottled,
  NotPending,
  TooManyRequests,
} from '../../../functions/shared/errors.ts';

describe('the HTTP answer to an error', () => {
  it.each([
    [Dependency.TABLE, '1'],
    [Dependency.WORKFLOW, '2'],
    [Dependency.EMAIL, '1'],
  ])('answers %s unavailable with 503 and Retry-After %s', (dependency, retryAfter) => {
    const problem = problemFor(
      new DependencyUnavailable('down', { dependency, cause: new Error('inner detail') }),
    );

    expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': retryAfter } });
    expect(problem.detail).not.toContain('inner detail');
  });

  it('answers SES throttling like any unavailable dependency', () => {
    expect(problemFor(new EmailThrottled('slow down'))).toMatchObject({
      status: 503,
      type: 'urn:smart-account-requests:problem:service-unavailable',
      headers: { 'Retry-After': '1' },
    });
  });

  it('answers the resend limit with 429 and its message, without a Retry-After', () => {
    const problem = problemFor(new TooManyRequests('Resent 5 times already.'));

    expect(problem).toMatchObject({ status: 429, detail: 'Resent 5 times already.' });
    expect(problem.headers).toBeUndefined();
  });

  it('answers a request that is not pending with 409', () => {
    expect(problemFor(new NotPending('ACTIVE'))).toMatchObject({ status: 409 });
  });

  it('answers anything unknown with a 500 that tells nothing of the internals', () => {
    const problem = problemFor(new Error('secret table name'));

    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
