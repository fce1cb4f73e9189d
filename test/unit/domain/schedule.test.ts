import { describe, expect, it } from 'vitest';
import { planWake, WakeAction } from '../../../functions/domain/schedule.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const pending = (expiresAt: string) => ({ status: RequestStatus.PENDING_ACTIVATION, expiresAt });

describe('the schedule a waking execution reads from the table', () => {
  it('waits until the expiry when nothing else is due', () => {
    const plan = planWake(pending('2026-12-01T11:00:00.000Z'), NOW);
    expect(plan).toEqual({
      action: WakeAction.WAIT,
      waitSeconds: 3600,
      wakeAt: '2026-12-01T11:00:00.000Z',
    });
  });

  it('rounds a partial second up so it never wakes before the expiry', () => {
    const plan = planWake(pending('2026-12-01T10:00:00.200Z'), NOW);
    expect(plan.waitSeconds).toBe(1);
    expect(Date.parse(plan.wakeAt as string)).toBeGreaterThanOrEqual(
      Date.parse('2026-12-01T10:00:00.200Z'),
    );
  });

  it('expires the request once expiresAt has passed, also long after it (a restart)', () => {
    expect(planWake(pending('2026-12-01T10:00:00.000Z'), NOW).action).toBe(WakeAction.EXPIRE);
    expect(planWake(pending('2026-11-01T10:00:00.000Z'), NOW).action).toBe(WakeAction.EXPIRE);
  });

  it('follows an extension written to the table: the old expiry finds nothing due', () => {
    const extended = pending('2027-01-01T10:00:00.000Z');
    const plan = planWake(extended, new Date('2026-12-02T10:00:00.000Z'));
    expect(plan.action).toBe(WakeAction.WAIT);
    expect(plan.wakeAt).toBe('2027-01-01T10:00:00.000Z');
  });

  it.each([
    RequestStatus.ACTIVE,
    RequestStatus.DECLINED,
    RequestStatus.CANCELLED,
    RequestStatus.EXPIRED,
    RequestStatus.FAILED,
  ])('goes straight to settling a request that is already %s', (status) => {
    expect(planWake({ status, expiresAt: '2027-01-01T10:00:00.000Z' }, NOW).action).toBe(
      WakeAction.SETTLE,
    );
  });
});
