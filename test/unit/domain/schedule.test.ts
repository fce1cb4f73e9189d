import { describe, expect, it } from 'vitest';
import { planWake, WakeAction, wakeRequest } from '../../../functions/domain/schedule.ts';
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

describe('reminders in the schedule', () => {
  const expiresAt = '2026-12-31T10:00:00.000Z';
  const withReminder = (nextReminderAt: string | null) => ({
    ...pending(expiresAt),
    nextReminderAt,
  });

  it('wakes for the next reminder when it comes before the expiry', () => {
    const plan = planWake(withReminder('2026-12-24T10:00:00.000Z'), NOW);
    expect(plan).toMatchObject({ action: WakeAction.WAIT, wakeAt: '2026-12-24T10:00:00.000Z' });
  });

  it('reminds once the reminder is due, and waits for the expiry when none is left', () => {
    expect(planWake(withReminder('2026-12-01T10:00:00.000Z'), NOW).action).toBe(WakeAction.REMIND);
    expect(planWake(withReminder(null), NOW)).toMatchObject({ wakeAt: expiresAt });
  });

  it('expires rather than reminds when both are overdue (a long downtime)', () => {
    const late = new Date('2027-01-05T10:00:00.000Z');
    expect(planWake(withReminder('2026-12-24T10:00:00.000Z'), late).action).toBe(WakeAction.EXPIRE);
  });

  it('never plans a reminder for a closed request', () => {
    const closed = { ...withReminder('2026-12-01T09:00:00.000Z'), status: RequestStatus.ACTIVE };
    expect(planWake(closed, NOW).action).toBe(WakeAction.SETTLE);
  });

  it('sends a due reminder while waking, then answers the wait for the next thing due', async () => {
    let request = withReminder('2026-12-01T09:00:00.000Z');
    const reminded: string[] = [];
    const plan = await wakeRequest(
      { get: async () => request },
      async (due) => {
        reminded.push(due.nextReminderAt as string);
        request = { ...request, nextReminderAt: '2026-12-24T10:00:00.000Z' };
      },
      'sar_1',
      NOW,
    );
    expect(reminded).toEqual(['2026-12-01T09:00:00.000Z']);
    expect(plan).toMatchObject({ action: WakeAction.WAIT, wakeAt: '2026-12-24T10:00:00.000Z' });
  });

  it('waits a minute and tries again when a reminder cannot be planned forward', async () => {
    const stuck = withReminder('2026-12-01T09:00:00.000Z');
    let rounds = 0;
    const plan = await wakeRequest(
      { get: async () => stuck },
      async () => {
        rounds++;
      },
      'sar_1',
      NOW,
    );
    expect(rounds).toBe(3);
    expect(plan).toMatchObject({ action: WakeAction.WAIT, waitSeconds: 60 });
  });
});
