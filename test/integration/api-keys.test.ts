import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table-keys.ts';
import { newApiKey, sha256 } from '../../functions/shared/crypto.ts';
import { seedPartners } from '../../local/seed-partners.ts';
import type { RunningStack } from '../../local/stack.ts';
import { type PartnerClient, partnerClient, startTestStack } from '../support/local-stack.ts';

/**
 * The partner's API keys on the local stack, through the real HTTP API and the local gateway's
 * authorizer cache: create, use, revoke (401 from the next request, though the key's Allow was
 * cached), the limit, the last key, isolation between partners, lastUsedAt, and keys written in
 * the shape they had before keys had ids.
 */

// One partner per concern, so no test sees another's keys.
const seedKeys = Array.from(
  { length: 5 },
  (_, n) => `sak_itest_${n}_${process.pid}_${'x'.repeat(20)}`,
);
const [revokeKey, limitKey, lastKey, otherKey, usesKey] = seedKeys as [
  string,
  string,
  string,
  string,
  string,
];

let stack: RunningStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack({ partnerKeys: seedKeys });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoUrl }));
});

afterAll(async () => {
  documents?.destroy();
  await stack?.stop();
});

const KEYS = '/v1/api-keys';
const list = (client: PartnerClient) => client.call('GET', KEYS);
const create = (client: PartnerClient, label: unknown) =>
  client.call('POST', KEYS, { body: { label } });
const revoke = (client: PartnerClient, id: string) => client.call('DELETE', `${KEYS}/${id}`);
/** Any partner route: what the key is for. */
const useKey = (key: string) => partnerClient(stack, key).list('?limit=1');

const lookupItem = async (key: string) =>
  (
    await documents.send(
      new GetCommand({ TableName: stack.tableName, Key: keys.apiKey(sha256(key)) }),
    )
  ).Item;

describe('API keys on the local stack', () => {
  it('creates a key that works at once, lists it, and refuses it from the request right after the revoke though its Allow was cached', async () => {
    const partner = partnerClient(stack, revokeKey);

    const created = await create(partner, 'CRM integration');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_/),
      label: 'CRM integration',
      prefix: created.body.key.slice(0, 8),
      createdAt: expect.any(String),
      key: expect.stringMatching(/^sak_[A-Za-z0-9_-]{43}$/),
    });
    const newKey: string = created.body.key;
    // Its first request is authorized (and cached by the gateway for 5 minutes).
    expect((await useKey(newKey)).status).toBe(200);
    expect((await useKey(newKey)).status).toBe(200);
    const listed = await list(partner);
    expect(listed.body.items.map((key: { label: string }) => key.label)).toEqual([
      'LOCAL_PARTNER_KEYS',
      'CRM integration',
    ]);
    expect(listed.text).not.toContain(newKey);

    const revoked = await revoke(partner, created.body.id);
    expect(revoked.status).toBe(204);

    const after = await useKey(newKey);
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toBe('application/problem+json');
    expect(await lookupItem(newKey)).toBeUndefined();
    expect((await list(partner)).body.items.map((key: { id: string }) => key.id)).not.toContain(
      created.body.id,
    );
    // The partner's own key, cached just as long, was only flushed, not refused.
    expect((await useKey(revokeKey)).status).toBe(200);
    expect((await revoke(partner, created.body.id)).status).toBe(404);
  });

  it('refuses a sixth key with 409 and has room again after a revoke', async () => {
    const partner = partnerClient(stack, limitKey);
    const ids: string[] = [];
    for (let n = 2; n <= 5; n++) {
      const created = await create(partner, `Key ${n}`);
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }

    const sixth = await create(partner, 'Key 6');

    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ status: 409, errorId: expect.any(String) });
    expect(sixth.body.detail).toMatch(/5 API keys/);
    expect((await list(partner)).body.items).toHaveLength(5);
    expect((await revoke(partner, ids[0] as string)).status).toBe(204);
    expect((await create(partner, 'Key 6')).status).toBe(201);
  });

  it("refuses to revoke the partner's last key with 409, and the key keeps working", async () => {
    const partner = partnerClient(stack, lastKey);
    const [only] = (await list(partner)).body.items;

    const refused = await revoke(partner, only.id);

    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/only API key/);
    expect((await useKey(lastKey)).status).toBe(200);
  });

  it("answers 404 for another partner's key, which stays valid, and lists only the caller's keys", async () => {
    const owner = partnerClient(stack, otherKey);
    const theirs = await create(owner, 'Theirs');
    const [ownerFirst] = (await list(owner)).body.items;
    const intruder = partnerClient(stack, lastKey);

    expect((await revoke(intruder, theirs.body.id)).status).toBe(404);
    expect((await revoke(intruder, ownerFirst.id)).status).toBe(404);
    expect((await list(intruder)).body.items.map((key: { id: string }) => key.id)).not.toContain(
      theirs.body.id,
    );
    expect((await useKey(theirs.body.key)).status).toBe(200);
  });

  it('sets lastUsedAt on the first use, does not write it again within the hour, and does after it', async () => {
    const partner = partnerClient(stack, usesKey);
    const created = await create(partner, 'Used');
    const key: string = created.body.key;
    expect((await lookupItem(key))?.lastUsedAt).toBeUndefined();
    /** A revoke flushes the cache: the next request with `key` runs the authorizer again. */
    const flushCache = async () => {
      const spare = await create(partner, 'Spare');
      expect((await revoke(partner, spare.body.id)).status).toBe(204);
    };

    expect((await useKey(key)).status).toBe(200);
    const first = (await lookupItem(key))?.lastUsedAt;
    expect(Date.parse(first)).toBeGreaterThan(Date.parse(created.body.createdAt) - 1000);
    await flushCache();
    expect((await useKey(key)).status).toBe(200);

    expect((await lookupItem(key))?.lastUsedAt).toBe(first);
    const listed = (await list(partner)).body.items.find(
      (item: { id: string }) => item.id === created.body.id,
    );
    expect(listed.lastUsedAt).toBe(first);

    // As if that use were an hour and a minute ago.
    const hourAgo = new Date(Date.parse(first) - 3_660_000).toISOString();
    await documents.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.apiKey(sha256(key)),
        UpdateExpression: 'SET lastUsedAt = :at',
        ExpressionAttributeValues: { ':at': hourAgo },
      }),
    );
    await flushCache();
    expect((await useKey(key)).status).toBe(200);
    expect(Date.parse((await lookupItem(key))?.lastUsedAt)).toBeGreaterThanOrEqual(
      Date.parse(first),
    );
  });

  it('rejects bad labels with a 400 naming the label, and writes nothing', async () => {
    const partner = partnerClient(stack, usesKey);
    const before = (await list(partner)).body.items.length;

    for (const label of ['', '   ', 'x'.repeat(101), 'two\nlines', 42, null]) {
      const response = await create(partner, label);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ path: 'label', message: expect.any(String) }]);
    }
    expect((await list(partner)).body.items).toHaveLength(before);
  });
});

describe('keys written before keys had ids', () => {
  /** Exactly the items the partner CLI and LOCAL_PARTNER_KEYS wrote before this change. */
  const writeLegacyPartner = async (partnerId: string, key: string) => {
    const put = (Item: Record<string, unknown>) =>
      documents.send(new PutCommand({ TableName: stack.tableName, Item }));
    await put({
      ...keys.partner(partnerId),
      entity: 'PARTNER',
      name: 'Legacy BV',
      contactEmail: 'ops@legacy.example',
    });
    await put({
      ...keys.apiKey(sha256(key)),
      entity: 'API_KEY',
      partnerId,
      createdAt: '2026-06-01T08:00:00.000Z',
    });
  };

  it('keep working, are listed once used, and can be revoked', async () => {
    const key = newApiKey();
    await writeLegacyPartner(`ptn_legacy_${process.pid}`, key);
    const partner = partnerClient(stack, key);

    expect((await partner.list()).status).toBe(200);
    const listed = await list(partner);
    expect(listed.body.items).toEqual([
      {
        id: expect.stringMatching(/^key_/),
        label: 'First key',
        prefix: key.slice(0, 8),
        createdAt: '2026-06-01T08:00:00.000Z',
        lastUsedAt: expect.any(String),
      },
    ]);
    const legacyId = listed.body.items[0].id;
    expect((await revoke(partner, legacyId)).status).toBe(409);
    const replacement = await create(partner, 'Replacement');
    const withReplacement = partnerClient(stack, replacement.body.key);

    expect((await revoke(withReplacement, legacyId)).status).toBe(204);

    expect((await useKey(key)).status).toBe(401);
    expect((await useKey(replacement.body.key)).status).toBe(200);
  });

  it('are adopted by the seeding of a kept table, and a revoked seed key does not come back', async () => {
    const legacy = `sak_itest_legacy_${process.pid}_${'y'.repeat(20)}`;
    const n = seedKeys.length + 1;
    await writeLegacyPartner(`local-partner-${n}`, legacy);
    expect((await lookupItem(legacy))?.keyId).toBeUndefined();

    // What `npm start` does on a kept table: the same keys, one of them in the old shape.
    expect(await seedPartners([...seedKeys, legacy])).toEqual(Array(n).fill('seeded'));

    const partner = partnerClient(stack, legacy);
    expect((await lookupItem(legacy))?.keyId).toMatch(/^key_/);
    const [adopted] = (await list(partner)).body.items;
    expect(adopted).toMatchObject({ label: 'LOCAL_PARTNER_KEYS', prefix: legacy.slice(0, 8) });
    const replacement = await create(partner, 'Replacement');
    expect((await revoke(partner, adopted.id)).status).toBe(204);

    const again = await seedPartners([...seedKeys, legacy]);

    expect(again[n - 1]).toBe('notItsKey');
    expect((await useKey(legacy)).status).toBe(401);
    expect((await list(partnerClient(stack, replacement.body.key))).body.items).toHaveLength(1);
  });
});
