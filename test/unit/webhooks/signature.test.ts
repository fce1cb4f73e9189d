import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  InvalidWebhookSecret,
  newWebhookSecret,
  signWebhook,
} from '../../../functions/webhooks/signature.ts';

/** A receiver as a partner writes it, on the reference implementation. */
const receive = (secret: string, body: string, headers: Record<string, string>) =>
  new Webhook(secret).verify(body, headers, { jsonParse: false });

const nowSeconds = () => Math.floor(Date.now() / 1000);

const secrets = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
const ids = fc.stringMatching(/^[\x21-\x7e]{1,64}$/);
// Any code points, lone surrogates included: both sides encode the text as UTF-8 the same way.
const bodies = fc.oneof(fc.json(), fc.string({ unit: 'binary' }));
const RUNS = { numRuns: 200 };

const refusal = (secret: string, body: string, headers: Record<string, string>) => {
  try {
    receive(secret, body, headers);
  } catch (error) {
    return error;
  }
  return undefined;
};

const isSignatureRefusal = (error: unknown) =>
  error instanceof WebhookVerificationError && error.message === 'No matching signature found';

describe('webhook secrets', () => {
  it('are whsec_ and 24 random bytes in base64, each one new, and the reference accepts them', () => {
    const made = Array.from({ length: 50 }, newWebhookSecret);
    expect(new Set(made).size).toBe(made.length);
    for (const secret of made) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
      expect(() => new Webhook(secret)).not.toThrow();
    }
  });

  it.each([
    ['no prefix', 'bWFkZS11cA=='],
    ['nothing after the prefix', 'whsec_'],
    ['not base64', 'whsec_not base64!'],
  ])('refuses to sign with a malformed secret (%s)', (_case, secret) => {
    expect(() => signWebhook([secret], 'evt_1', nowSeconds(), '{}')).toThrow(InvalidWebhookSecret);
  });

  it('refuses to sign with no secret or a timestamp that is not whole seconds', () => {
    expect(() => signWebhook([], 'evt_1', nowSeconds(), '{}')).toThrow(InvalidWebhookSecret);
    expect(() => signWebhook([newWebhookSecret()], 'evt_1', 1.5, '{}')).toThrow(RangeError);
  });
});

describe('a receiver built on the standardwebhooks package', () => {
  it('accepts every signed delivery', () => {
    fc.assert(
      fc.property(secrets, ids, bodies, (secret, id, body) => {
        const headers = signWebhook([secret], id, nowSeconds(), body);
        expect(headers['webhook-id']).toBe(id);
        expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
        expect(refusal(secret, body, { ...headers })).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('reads the event a delivery carries', () => {
    fc.assert(
      fc.property(secrets, ids, fc.jsonValue(), (secret, id, event) => {
        const body = JSON.stringify(event);
        const headers = signWebhook([secret], id, nowSeconds(), body);
        expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
      }),
      RUNS,
    );
  });

  it('accepts a delivery signed with two secrets with the old or the new one alone (rotation)', () => {
    fc.assert(
      fc.property(secrets, secrets, ids, bodies, (current, old, id, body) => {
        const headers = signWebhook([current, old], id, nowSeconds(), body);
        expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
        expect(refusal(current, body, { ...headers })).toBeUndefined();
        expect(refusal(old, body, { ...headers })).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('refuses a delivery signed with a secret it does not hold', () => {
    fc.assert(
      fc.property(secrets, secrets, ids, bodies, (signer, holder, id, body) => {
        fc.pre(signer !== holder);
        const headers = signWebhook([signer], id, nowSeconds(), body);
        expect(isSignatureRefusal(refusal(holder, body, { ...headers }))).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses a tampered body', () => {
    fc.assert(
      fc.property(secrets, ids, bodies, fc.string({ minLength: 1 }), (secret, id, body, extra) => {
        const headers = signWebhook([secret], id, nowSeconds(), body);
        expect(isSignatureRefusal(refusal(secret, body + extra, { ...headers }))).toBe(true);
        expect(isSignatureRefusal(refusal(secret, extra + body, { ...headers }))).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses a tampered id', () => {
    fc.assert(
      fc.property(secrets, ids, ids, bodies, (secret, id, other, body) => {
        fc.pre(id !== other);
        const headers = signWebhook([secret], id, nowSeconds(), body);
        const tampered = { ...headers, 'webhook-id': other };
        expect(isSignatureRefusal(refusal(secret, body, tampered))).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses a tampered timestamp, also one still within its tolerance', () => {
    fc.assert(
      fc.property(
        secrets,
        ids,
        bodies,
        fc.integer({ min: -240, max: 240 }).filter((shift) => shift !== 0),
        (secret, id, body, shift) => {
          const signedAt = nowSeconds();
          const headers = signWebhook([secret], id, signedAt, body);
          const tampered = { ...headers, 'webhook-timestamp': String(signedAt + shift) };
          expect(isSignatureRefusal(refusal(secret, body, tampered))).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
