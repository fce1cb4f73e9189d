import { describe, expect, it } from 'vitest';
import {
  applyClosing,
  awaitsSettlement,
  canTransition,
  closingOf,
  isLive,
  isTerminal,
  mayAttachActivation,
  mayClose,
  mayCountResend,
  mayMarkNotified,
} from '../../../functions/domain/lifecycle.ts';
import { RequestStatus, requestStatuses } from '../../../functions/shared/status.ts';
import { aRequest, NOW } from '../../support/in-memory-stores.ts';

const terminal = requestStatuses.filter((status) => status !== 'PENDING_ACTIVATION');

describe('statuses', () => {
  it('holds the domain while pending or active, and frees it after any other outcome', () => {
    expect(requestStatuses.filter(isLive)).toEqual(['PENDING_ACTIVATION', 'ACTIVE']);
  });

  it('treats every status but PENDING_ACTIVATION as terminal', () => {
    expect(requestStatuses.filter(isTerminal)).toEqual(terminal);
  });

  it('moves only from PENDING_ACTIVATION, into a terminal status, and never back', () => {
    for (const from of requestStatuses) {
      for (const to of requestStatuses) {
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(
          from === 'PENDING_ACTIVATION' && to !== 'PENDING_ACTIVATION',
        );
      }
    }
  });
});

describe('closing', () => {
  it('closes a pending request into any terminal status, and nothing that was already closed', () => {
    for (const to of terminal) expect(mayClose(aRequest(), to)).toBe(true);
    for (const status of terminal) {
      expect(mayClose(aRequest({ status }), RequestStatus.EXPIRED)).toBe(false);
    }
  });

  it('lets only the owning partner close a request', () => {
    expect(mayClose(aRequest(), 'CANCELLED', { partnerId: 'partner-1' })).toBe(true);
    expect(mayClose(aRequest(), 'CANCELLED', { partnerId: 'partner-2' })).toBe(false);
  });

  it('fails an unstarted request only while no execution stored a task token', () => {
    expect(mayClose(aRequest(), 'FAILED', { unstartedOnly: true })).toBe(true);
    expect(mayClose(aRequest({ taskToken: 't' }), 'FAILED', { unstartedOnly: true })).toBe(false);
  });

  it('stamps an activation in activatedAt and appends the change to the history', () => {
    const at = new Date(NOW.getTime() + 1000);

    const activated = applyClosing(aRequest(), closingOf('ACTIVE', at));
    const expired = applyClosing(aRequest(), closingOf('EXPIRED', at, 'ActivationTimeout'));

    expect(activated).toMatchObject({
      status: 'ACTIVE',
      activatedAt: at.toISOString(),
      closedAt: null,
      closeReason: null,
    });
    expect(expired).toMatchObject({
      status: 'EXPIRED',
      activatedAt: null,
      closedAt: at.toISOString(),
      closeReason: 'ActivationTimeout',
    });
    expect(expired.history.map((change) => change.status)).toEqual([
      'PENDING_ACTIVATION',
      'EXPIRED',
    ]);
  });
});

describe('the activation link and resends', () => {
  it('keeps the nonce of the first send, so every send mails the same link', () => {
    expect(mayAttachActivation(aRequest(), 'n1')).toBe(true);
    expect(mayAttachActivation(aRequest({ codeNonce: 'n1' }), 'n1')).toBe(true);
    expect(mayAttachActivation(aRequest({ codeNonce: 'n1' }), 'n2')).toBe(false);
    expect(mayAttachActivation(aRequest({ status: 'CANCELLED' }), 'n1')).toBe(false);
  });

  it('counts a resend for the owner of a pending request under the limit once its link exists', () => {
    const sent = aRequest({ codeNonce: 'n1' });
    expect(mayCountResend(sent, 'partner-1', 5)).toBe(true);
    expect(mayCountResend(aRequest(), 'partner-1', 5)).toBe(false);
    expect(mayCountResend(sent, 'partner-2', 5)).toBe(false);
    expect(mayCountResend({ ...sent, resendCount: 5 }, 'partner-1', 5)).toBe(false);
    expect(mayCountResend({ ...sent, status: 'EXPIRED' }, 'partner-1', 5)).toBe(false);
  });
});

describe('settling', () => {
  it('marks the status the request has, once', () => {
    const expired = aRequest({ status: 'EXPIRED' });
    expect(mayMarkNotified(expired, 'EXPIRED')).toBe(true);
    expect(mayMarkNotified(expired, 'ACTIVE')).toBe(false);
    expect(mayMarkNotified({ ...expired, notifiedStatus: 'EXPIRED' }, 'EXPIRED')).toBe(false);
  });

  it('waits for settlement from the close until Settle marked it', () => {
    expect(awaitsSettlement(aRequest())).toBe(false);
    expect(awaitsSettlement(aRequest({ status: 'ACTIVE' }))).toBe(true);
    expect(awaitsSettlement(aRequest({ status: 'ACTIVE', notifiedStatus: 'ACTIVE' }))).toBe(false);
  });
});
