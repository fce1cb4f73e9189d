import { describe, expect, it } from 'vitest';
import { createApiKeyInput } from '../../../functions/domain/api-key-schemas.ts';
import {
  adoptedKey,
  isApiKeyId,
  isUseDue,
  KeyStanding,
  keyPrefix,
  LEGACY_KEY_LABEL,
  legacyKeyId,
  newKeyRecord,
  oldestFirst,
  RevokeRefusal,
  recordedUseBefore,
  revokeRefusal,
  standingOf,
  toApiKeyResource,
  toIssuedKeyResource,
} from '../../../functions/domain/api-keys.ts';
import { parseWith } from '../../../functions/http/validation.ts';
import { newApiKey, newApiKeyId, sha256 } from '../../../functions/shared/crypto.ts';
import { ValidationFailed } from '../../../functions/shared/errors.ts';

const partner = { id: 'ptn_1', name: 'Partner BV', contactEmail: 'ops@partner.example' };
const NOW = new Date('2026-12-01T10:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();

describe('a new key', () => {
  it('is sak_ and 256 random bits, its id key_ and a ULID, its prefix its first 8 characters', () => {
    const key = newApiKey();
    const record = newKeyRecord('ptn_1', 'CRM', { id: newApiKeyId(), key, now: NOW });

    expect(key).toMatch(/^sak_[A-Za-z0-9_-]{43}$/);
    expect(isApiKeyId(record.id)).toBe(true);
    expect(record).toEqual({
      id: record.id,
      partnerId: 'ptn_1',
      label: 'CRM',
      prefix: key.slice(0, 8),
      createdAt: NOW.toISOString(),
      lastUsedAt: null,
    });
    expect(keyPrefix('sak_abcdefgh')).toBe('sak_abcd');
  });

  it('shows the key in the create answer only: the listed resource has no key and no hash', () => {
    const key = newApiKey();
    const record = newKeyRecord('ptn_1', 'CRM', { id: newApiKeyId(), key, now: NOW });
    const issued = { record, key, keyHash: sha256(key) };

    expect(toIssuedKeyResource(issued)).toEqual({
      id: record.id,
      label: 'CRM',
      prefix: record.prefix,
      createdAt: record.createdAt,
      key,
    });
    const listed = toApiKeyResource({ ...record, lastUsedAt: minutes(5) });
    expect(Object.keys(listed)).toEqual(['id', 'label', 'prefix', 'createdAt', 'lastUsedAt']);
    expect(JSON.stringify(listed)).not.toContain(key.slice(8));
    expect(JSON.stringify(listed)).not.toContain(issued.keyHash);
  });
});

/** The field errors a body gets, or [] when it parses. */
const errorsOf = (body: unknown) => {
  try {
    parseWith(createApiKeyInput, body);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    return error.errors;
  }
};

describe('the label', () => {
  it('is trimmed and kept as given', () => {
    expect(parseWith(createApiKeyInput, { label: '  CRM – “prod” 🚀  ' })).toEqual({
      label: 'CRM – “prod” 🚀',
    });
    expect(parseWith(createApiKeyInput, { label: 'x'.repeat(100) }).label).toHaveLength(100);
  });

  it.each([
    ['missing', {}, 'Required.'],
    ['empty', { label: '' }, 'Required, 1-100 characters.'],
    ['only spaces', { label: '   ' }, 'Required, 1-100 characters.'],
    ['101 characters', { label: 'x'.repeat(101) }, 'At most 100 characters.'],
    ['a line break', { label: 'CRM\nprod' }, 'No control characters or line breaks.'],
    ['a NUL', { label: 'CRM\u0000' }, 'No control characters or line breaks.'],
    ['a lone surrogate', { label: 'CRM\ud800' }, 'Not valid Unicode text.'],
  ])('refuses a label that is %s, on the label', (_case, body, message) => {
    expect(errorsOf(body)).toContainEqual({ path: 'label', message });
  });

  it('refuses any other field and a label that is not text', () => {
    const paths = (body: unknown) => errorsOf(body).map((error) => error.path);
    expect(paths({ label: 'CRM', key: 'sak_mine' })).toEqual(['key']);
    expect(paths({ label: 42 })).toEqual(['label']);
    expect(paths(['CRM'])).toEqual(['(body)']);
  });
});

describe('which key is valid', () => {
  const owner = { partner, keyIds: new Set(['key_A', 'key_B']) };

  it('is one whose id is in the partner’s set; a key without an id is legacy', () => {
    expect(standingOf({ partnerId: 'ptn_1', keyId: 'key_A' }, owner)).toBe(KeyStanding.VALID);
    expect(standingOf({ partnerId: 'ptn_1', keyId: 'key_C' }, owner)).toBe(KeyStanding.INVALID);
    expect(standingOf({ partnerId: 'ptn_1' }, owner)).toBe(KeyStanding.LEGACY);
    expect(standingOf({ partnerId: 'ptn_1', keyId: 'key_A' }, { partner, keyIds: new Set() })).toBe(
      KeyStanding.INVALID,
    );
  });

  it('refuses the revoke of the only key as the last key, and any id not in the set as unknown', () => {
    expect(revokeRefusal({ partner, keyIds: new Set(['key_A']) }, 'key_A')).toBe(
      RevokeRefusal.LAST_KEY,
    );
    expect(revokeRefusal(owner, 'key_C')).toBe(RevokeRefusal.UNKNOWN);
    expect(revokeRefusal(undefined, 'key_A')).toBe(RevokeRefusal.UNKNOWN);
  });
});

describe('recording uses', () => {
  it('is due when none is recorded or the recorded one is an hour old, not sooner', () => {
    expect(isUseDue(undefined, NOW)).toBe(true);
    expect(isUseDue(null, NOW)).toBe(true);
    expect(isUseDue(minutes(-61), NOW)).toBe(true);
    expect(isUseDue(minutes(-59), NOW)).toBe(false);
    expect(isUseDue(minutes(0), NOW)).toBe(false);
    expect(recordedUseBefore(NOW)).toBe(minutes(-60));
  });
});

describe('a key made before keys had ids', () => {
  const keyHash = sha256('sak_demo_key_0001');

  it('gets an id derived from its hash and when it was made: the same on every first use', () => {
    const id = legacyKeyId(keyHash, '2026-06-01T08:00:00.000Z');

    expect(isApiKeyId(id)).toBe(true);
    expect(legacyKeyId(keyHash, '2026-06-01T08:00:00.000Z')).toBe(id);
    expect(legacyKeyId(sha256('sak_demo_key_0002'), '2026-06-01T08:00:00.000Z')).not.toBe(id);
    expect(isApiKeyId(legacyKeyId(keyHash, undefined))).toBe(true);
  });

  it('is adopted with its own creation time, its prefix and the label of a first key', () => {
    const lookup = { partnerId: 'ptn_1', createdAt: '2026-06-01T08:00:00.000Z' };

    expect(adoptedKey(lookup, keyHash, 'sak_demo_key_0001', NOW)).toEqual({
      id: legacyKeyId(keyHash, lookup.createdAt),
      partnerId: 'ptn_1',
      label: LEGACY_KEY_LABEL,
      prefix: 'sak_demo',
      createdAt: lookup.createdAt,
      lastUsedAt: null,
    });
    expect(adoptedKey({ partnerId: 'ptn_1' }, keyHash, 'sak_x', NOW).createdAt).toBe(
      NOW.toISOString(),
    );
  });
});

describe('the list order', () => {
  it('is oldest first, ties broken by id', () => {
    const at = (id: string, createdAt: string) => ({
      id,
      partnerId: 'ptn_1',
      label: id,
      prefix: 'sak_abcd',
      createdAt,
      lastUsedAt: null,
    });
    const sorted = oldestFirst([
      at('key_C', minutes(2)),
      at('key_B', minutes(1)),
      at('key_A', minutes(1)),
    ]);
    expect(sorted.map((key) => key.id)).toEqual(['key_A', 'key_B', 'key_C']);
  });
});
