import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lookupItem, metadataItem } from '../../../functions/adapters/api-key-items.ts';
import { DynamoApiKeys } from '../../../functions/adapters/dynamo-api-keys.ts';
import { DynamoPartnerStore } from '../../../functions/adapters/dynamo-partner-store.ts';
import { keys } from '../../../functions/adapters/table-keys.ts';
import { issueKey } from '../../../functions/domain/api-key-management.ts';
import {
  type ApiKey,
  type ApiKeyStore,
  adoptedKey,
  type IssuedKey,
  legacyKeyId,
} from '../../../functions/domain/api-keys.ts';
import type { Partner } from '../../../functions/domain/ports.ts';
import { newApiKey, sha256 } from '../../../functions/shared/crypto.ts';
import { DependencyUnavailable } from '../../../functions/shared/errors.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import { InMemoryApiKeys } from '../../support/in-memory-api-keys.ts';

/**
 * The same API key store cases against the in-memory fake the domain tests use and against the
 * DynamoDB adapter on dynalite: if the fake drifts from DynamoDB's behaviour, one fails.
 */

interface Backend {
  readonly keys: ApiKeyStore;
  /** A partner with its first key (DynamoPartnerStore.create on DynamoDB). */
  createPartner(partner: Partner, issued: IssuedKey): Promise<boolean>;
  /** A key in the shape the CLI and the seeds wrote before keys had ids. */
  writeLegacyKey(partner: Partner, keyHash: string, createdAt: string): Promise<void>;
  /** What a create that crashed before its set write leaves: the items, no id in the set. */
  writeItemsOnly(record: ApiKey, keyHash: string): Promise<void>;
  /**
   * The next add's set write lands, then, after `during`, fails as the SDK does when its last
   * attempt gets no reply (a TimeoutError).
   */
  loseNextSetReply(during?: () => Promise<void>): void;
}

/**
 * The table's client, but the add's set write that loseNextSetReply names lands and then
 * throws the SDK's TimeoutError, as when the reply is lost.
 */
const losingReplies = (documents: DynamoDBDocumentClient) => {
  let armed: (() => Promise<void>) | undefined;
  const client = new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        const result = await target.send(command);
        const during = armed;
        const isSetWrite =
          command instanceof UpdateCommand && command.input.UpdateExpression === 'ADD #keyIds :ids';
        if (!during || !isSetWrite) return result;
        armed = undefined;
        await during();
        throw Object.assign(new Error('Connection timed out after 2000 ms'), {
          name: 'TimeoutError',
        });
      };
    },
  });
  return {
    client,
    loseNextSetReply: (during: () => Promise<void> = async () => undefined) => {
      armed = during;
    },
  };
};

let table: DynaliteTable | undefined;

beforeAll(async () => {
  table = await startDynaliteTable();
});

afterAll(async () => {
  await table?.stop();
});

const backends: [string, () => Backend][] = [
  [
    'the in-memory fake',
    () => {
      const fake = new InMemoryApiKeys();
      return {
        keys: fake,
        createPartner: async (partner, issued) => fake.createPartner(partner, issued),
        writeLegacyKey: async (partner, keyHash, createdAt) =>
          fake.writeLegacyKey(partner, keyHash, createdAt),
        writeItemsOnly: async (record, keyHash) => fake.writeItems(record, keyHash),
        loseNextSetReply: (during) => fake.loseNextSetReply(during),
      };
    },
  ],
  [
    'DynamoDB (dynalite)',
    () => {
      const dynalite = table;
      if (!dynalite) throw new Error('dynalite did not start');
      const put = (Item: Record<string, unknown>) =>
        dynalite.documents.send(new PutCommand({ TableName: dynalite.tableName, Item }));
      const { client, loseNextSetReply } = losingReplies(dynalite.documents);
      return {
        keys: new DynamoApiKeys(client, dynalite.tableName),
        loseNextSetReply,
        createPartner: (partner, issued) =>
          new DynamoPartnerStore(dynalite.documents, dynalite.tableName).create(partner, issued),
        // Exactly the items the partner CLI wrote before this change.
        writeLegacyKey: async (partner, keyHash, createdAt) => {
          await put({
            ...keys.partner(partner.id),
            entity: 'PARTNER',
            name: partner.name,
            contactEmail: partner.contactEmail,
          });
          await put({
            ...keys.apiKey(keyHash),
            entity: 'API_KEY',
            partnerId: partner.id,
            createdAt,
          });
        },
        writeItemsOnly: async (record, keyHash) => {
          await put(lookupItem(record, keyHash));
          await put(metadataItem(record, keyHash));
        },
      };
    },
  ],
];

let sequence = 0;
/** Every case gets its own partners: the dynalite table is shared. */
const aPartner = (): Partner => {
  sequence += 1;
  return {
    id: `ptn_contract_${process.pid}_${sequence}`,
    name: 'Partner BV',
    contactEmail: 'ops@partner.example',
  };
};

const CREATED = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(CREATED.getTime() + ms);

describe.each(backends)('the API key store on %s', (_name, open) => {
  let backend: Backend;
  let store: ApiKeyStore;

  beforeEach(() => {
    backend = open();
    store = backend.keys;
  });

  /** A partner with its first key, and that key. */
  const partnerWithKey = async () => {
    const partner = aPartner();
    const first = issueKey(partner.id, 'First key', CREATED);
    expect(await backend.createPartner(partner, first)).toBe(true);
    return { partner, first };
  };

  it('creates a partner with its first key, valid and listed, and never overwrites a partner', async () => {
    const { partner, first } = await partnerWithKey();

    expect(await store.lookup(first.keyHash)).toEqual({
      partnerId: partner.id,
      keyId: first.record.id,
      createdAt: first.record.createdAt,
    });
    expect(await store.partnerKeys(partner.id)).toEqual({
      partner,
      keyIds: new Set([first.record.id]),
    });
    expect(await store.list(partner.id)).toEqual([first.record]);

    const another = issueKey(partner.id, 'Second try', CREATED);
    expect(await backend.createPartner({ ...partner, name: 'Overwritten' }, another)).toBe(false);
    expect((await store.partnerKeys(partner.id))?.partner.name).toBe('Partner BV');
    expect(await store.lookup(another.keyHash)).toBeUndefined();
    expect(await store.list(partner.id)).toEqual([first.record]);
  });

  it('adds keys up to the limit, refuses the next without leaving anything of it, and counts a retried add once', async () => {
    const { partner, first } = await partnerWithKey();
    const second = issueKey(partner.id, 'CRM', later(1000));
    const third = issueKey(partner.id, 'Billing', later(2000));

    expect(await store.add(second, 3)).toBe(true);
    expect(await store.add(second, 3)).toBe(true);
    expect(await store.add(third, 3)).toBe(true);
    const fourth = issueKey(partner.id, 'One too many', later(3000));
    expect(await store.add(fourth, 3)).toBe(false);

    expect(await store.lookup(fourth.keyHash)).toBeUndefined();
    expect(await store.hasItems(partner.id, fourth.record.id)).toBe(false);
    expect((await store.list(partner.id)).map((key) => key.label)).toEqual([
      'First key',
      'CRM',
      'Billing',
    ]);
    expect((await store.partnerKeys(partner.id))?.keyIds).toEqual(
      new Set([first.record.id, second.record.id, third.record.id]),
    );
  });

  it('lets exactly the room left of concurrent adds win', async () => {
    const { partner } = await partnerWithKey();
    const candidates = Array.from({ length: 6 }, (_, i) => issueKey(partner.id, `K${i}`, CREATED));

    const results = await Promise.all(candidates.map((issued) => store.add(issued, 4)));

    expect(results.filter(Boolean)).toHaveLength(3);
    const listed = (await store.list(partner.id)).map((key) => key.id);
    for (const [index, issued] of candidates.entries()) {
      expect(listed.includes(issued.record.id)).toBe(results[index]);
      expect((await store.lookup(issued.keyHash)) !== undefined).toBe(results[index]);
    }
  });

  it('adds no key to a partner that does not exist', async () => {
    const ghost = issueKey(aPartner().id, 'Nobody', CREATED);

    expect(await store.add(ghost, 5)).toBe(false);
    expect(await store.lookup(ghost.keyHash)).toBeUndefined();
  });

  it('does not list a key whose items a crashed create left without its id in the set', async () => {
    const { partner, first } = await partnerWithKey();
    const halfMade = issueKey(partner.id, 'Crashed', later(1000));
    await backend.writeItemsOnly(halfMade.record, halfMade.keyHash);

    expect(await store.list(partner.id)).toEqual([first.record]);
    expect((await store.partnerKeys(partner.id))?.keyIds.has(halfMade.record.id)).toBe(false);
  });

  it('takes back an add whose set write landed but lost its reply: the id does not stay in the set', async () => {
    const { partner, first } = await partnerWithKey();
    const lost = issueKey(partner.id, 'Lost reply', later(1000));
    backend.loseNextSetReply();

    await expect(store.add(lost, 5)).rejects.toThrow(DependencyUnavailable);

    expect(await store.lookup(lost.keyHash)).toBeUndefined();
    expect(await store.hasItems(partner.id, lost.record.id)).toBe(false);
    expect((await store.partnerKeys(partner.id))?.keyIds).toEqual(new Set([first.record.id]));
    expect(await store.list(partner.id)).toEqual([first.record]);
    // No id that no list shows: the partner's real last key stays unrevocable, and the limit
    // counts only the keys there are.
    expect(await store.remove(partner.id, first.record.id)).toBe(false);
    for (const n of [2, 3, 4]) {
      expect(await store.add(issueKey(partner.id, `K${n}`, later(n * 1000)), 4)).toBe(true);
    }
  });

  it('keeps a lost-reply key whole when a revoke in between left it the partner’s only key', async () => {
    const { partner, first } = await partnerWithKey();
    const lost = issueKey(partner.id, 'Lost reply', later(1000));
    // The partner revokes its other key while the create's reply is on its way.
    backend.loseNextSetReply(async () => {
      expect(await store.remove(partner.id, first.record.id)).toBe(true);
      await store.forget(partner.id, first.record.id);
    });

    await expect(store.add(lost, 5)).rejects.toThrow(DependencyUnavailable);

    // Never an empty set nor an id without items: a valid key the partner sees listed.
    expect((await store.partnerKeys(partner.id))?.keyIds).toEqual(new Set([lost.record.id]));
    expect(await store.lookup(lost.keyHash)).toMatchObject({ keyId: lost.record.id });
    expect(await store.list(partner.id)).toEqual([lost.record]);
  });

  it('removes a key from the set only while it is one of several of the partner, and forgets its items', async () => {
    const { partner, first } = await partnerWithKey();
    const second = issueKey(partner.id, 'CRM', later(1000));
    await store.add(second, 5);
    const other = await partnerWithKey();

    expect(await store.remove(other.partner.id, second.record.id)).toBe(false);
    expect(await store.remove(partner.id, 'key_01KBXQ5ZC0YJ3S5V3W0T8N2M4P')).toBe(false);
    expect(await store.remove(partner.id, second.record.id)).toBe(true);
    expect(await store.remove(partner.id, first.record.id)).toBe(false);
    expect(await store.remove(partner.id, second.record.id)).toBe(false);

    // The decision is made; the items are still there until the revoke forgets them.
    expect(await store.hasItems(partner.id, second.record.id)).toBe(true);
    expect(await store.hasItems(other.partner.id, second.record.id)).toBe(false);
    await store.forget(partner.id, second.record.id);
    expect(await store.hasItems(partner.id, second.record.id)).toBe(false);
    expect(await store.lookup(second.keyHash)).toBeUndefined();
    expect(await store.list(partner.id)).toEqual([first.record]);
    // Forgetting again, or another partner's id, changes nothing.
    await store.forget(partner.id, second.record.id);
    await store.forget(other.partner.id, first.record.id);
    expect(await store.lookup(first.keyHash)).toBeDefined();
  });

  it('lets one of two concurrent removes of a partner’s last two keys win', async () => {
    const { partner, first } = await partnerWithKey();
    const second = issueKey(partner.id, 'CRM', later(1000));
    await store.add(second, 5);

    const results = await Promise.all([
      store.remove(partner.id, first.record.id),
      store.remove(partner.id, second.record.id),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.partnerKeys(partner.id))?.keyIds.size).toBe(1);
  });

  it('records a use, and not again until the last one is older than the given time', async () => {
    const { first } = await partnerWithKey();

    await store.recordUse(
      first.keyHash,
      later(1000).toISOString(),
      later(-3_600_000).toISOString(),
    );
    await store.recordUse(
      first.keyHash,
      later(2000).toISOString(),
      later(-3_599_000).toISOString(),
    );
    expect((await store.lookup(first.keyHash))?.lastUsedAt).toBe(later(1000).toISOString());

    await store.recordUse(
      first.keyHash,
      later(3_700_000).toISOString(),
      later(100_000).toISOString(),
    );
    expect((await store.lookup(first.keyHash))?.lastUsedAt).toBe(later(3_700_000).toISOString());
  });

  it('never brings a deleted key back by recording its use', async () => {
    const gone = sha256(newApiKey());

    await store.recordUse(gone, CREATED.toISOString(), later(-3_600_000).toISOString());

    expect(await store.lookup(gone)).toBeUndefined();
  });

  describe('a key written before keys had ids', () => {
    const legacy = async () => {
      const partner = aPartner();
      const key = newApiKey();
      const keyHash = sha256(key);
      await backend.writeLegacyKey(partner, keyHash, CREATED.toISOString());
      return { partner, key, keyHash };
    };

    it('reads as a lookup without an id, of a partner with no key ids', async () => {
      const { partner, keyHash } = await legacy();

      expect(await store.lookup(keyHash)).toEqual({
        partnerId: partner.id,
        createdAt: CREATED.toISOString(),
      });
      expect(await store.partnerKeys(partner.id)).toEqual({ partner, keyIds: new Set() });
      expect(await store.list(partner.id)).toEqual([]);
    });

    it('is adopted: it gets its id (the same every time), is listed and counts as a key', async () => {
      const { partner, key, keyHash } = await legacy();
      const lookup = await store.lookup(keyHash);
      if (!lookup) throw new Error('no legacy lookup');
      const adopted = adoptedKey(lookup, keyHash, key, later(5000));

      expect(await store.adopt(adopted, keyHash)).toBe(true);
      expect(await store.adopt(adopted, keyHash)).toBe(true);

      expect(adopted.id).toBe(legacyKeyId(keyHash, CREATED.toISOString()));
      expect(await store.lookup(keyHash)).toEqual({
        partnerId: partner.id,
        keyId: adopted.id,
        createdAt: CREATED.toISOString(),
      });
      expect(await store.list(partner.id)).toEqual([adopted]);
      expect(await store.remove(partner.id, adopted.id)).toBe(false);
    });

    it('is not brought back by an adoption that finishes after a revoke deleted it', async () => {
      const { partner, key, keyHash } = await legacy();
      const lookup = await store.lookup(keyHash);
      if (!lookup) throw new Error('no legacy lookup');
      const adopted = adoptedKey(lookup, keyHash, key, later(5000));
      await store.adopt(adopted, keyHash);
      const second = issueKey(partner.id, 'CRM', later(6000));
      await store.add(second, 5);
      expect(await store.remove(partner.id, adopted.id)).toBe(true);
      await store.forget(partner.id, adopted.id);

      // A first use that read the lookup item before the revoke, adopting only now.
      expect(await store.adopt(adopted, keyHash)).toBe(false);

      expect(await store.lookup(keyHash)).toBeUndefined();
      expect(await store.hasItems(partner.id, adopted.id)).toBe(false);
      expect(await store.partnerKeys(partner.id)).toEqual({
        partner,
        keyIds: new Set([second.record.id]),
      });
    });
  });
});

describe('the items on DynamoDB', () => {
  it('keeps only the hash of a key, and its metadata under the partner for one Query', async () => {
    const dynalite = table as DynaliteTable;
    const store = new DynamoApiKeys(dynalite.documents, dynalite.tableName);
    const partner = aPartner();
    const first = issueKey(partner.id, 'First key', CREATED);
    await new DynamoPartnerStore(dynalite.documents, dynalite.tableName).create(partner, first);
    await store.list(partner.id);

    const lookup = await dynalite.documents.send(
      new GetCommand({ TableName: dynalite.tableName, Key: keys.apiKey(first.keyHash) }),
    );
    const partition = await dynalite.documents.send(
      new QueryCommand({
        TableName: dynalite.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `PARTNER#${partner.id}` },
      }),
    );

    expect(lookup.Item).toEqual({
      PK: `APIKEY#${first.keyHash}`,
      SK: 'APIKEY',
      entity: 'API_KEY',
      partnerId: partner.id,
      keyId: first.record.id,
      label: 'First key',
      prefix: first.key.slice(0, 8),
      createdAt: CREATED.toISOString(),
    });
    expect(partition.Items?.map((item) => item.SK).sort()).toEqual([
      `APIKEY#${first.record.id}`,
      'PROFILE',
    ]);
    expect(
      JSON.stringify([lookup.Item, partition.Items], (_k, v) => (v instanceof Set ? [...v] : v)),
    ).not.toContain(first.key);
  });
});
