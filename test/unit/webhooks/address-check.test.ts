import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  checkResolvedHost,
  type LookupAll,
  webhookUrlProblem,
} from '../../../functions/webhooks/address-check.ts';

const STRICT = { allowLocal: false };
const LOCAL = { allowLocal: true };

/** A resolver that answers `addresses` for any name and never touches the network. */
const answering = (...addresses: string[]) =>
  vi.fn<LookupAll>(async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );

const PUBLIC = ['93.184.215.14', '2606:4700::1', '8.8.8.8', '2a00:1450:4001:82b::200e'];

/** One address of every range a webhook must never reach, and what the refusal calls it. */
const BLOCKED: readonly [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['127.255.0.9', /loopback/],
  ['10.0.0.1', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.254', /private/],
  ['192.168.1.1', /private/],
  ['169.254.169.254', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['0.0.0.0', /unspecified/],
  ['255.255.255.255', /broadcast/],
  ['224.0.0.1', /multicast/],
  ['240.0.0.1', /reserved/],
  ['192.0.2.1', /reserved/],
  ['::1', /loopback/],
  ['::', /unspecified/],
  ['fc00::1', /unique-local/],
  ['fd12:3456::1', /unique-local/],
  ['fe80::1', /link-local/],
  ['ff02::1', /multicast/],
  ['::ffff:127.0.0.1', /IPv4-mapped address \(of a loopback address\)/],
  ['::ffff:10.0.0.1', /IPv4-mapped address \(of a private address\)/],
  ['::ffff:93.184.215.14', /IPv4-mapped/],
  ['::7f00:1', /not a global unicast address/],
  ['64:ff9b::a00:1', /special-purpose address \(rfc6052\)/],
  ['2002:a00:1::', /special-purpose address \(6to4\)/],
  ['2001:db8::1', /reserved/],
];

const literalHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

describe('a webhook URL', () => {
  it.each([
    'https://hooks.partner.example/smart-accounts',
    'https://hooks.partner.example:8443/in?source=sar',
    'https://93.184.215.14/hook',
    'https://[2606:4700::1]/hook',
  ])('may be registered: %s', (url) => {
    expect(webhookUrlProblem(url, STRICT)).toBeUndefined();
  });

  it.each([
    ['http://hooks.partner.example/', /https/],
    ['ftp://hooks.partner.example/', /https/],
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['https://user:secret@hooks.partner.example/', /user name or password/],
    ['https://user@hooks.partner.example/', /user name or password/],
    ['https://:secret@hooks.partner.example/', /user name or password/],
    ['https://hooks.partner.example/#top', /fragment/],
    ['https://hooks.partner.example/#', /fragment/],
    ['https://', /valid URL/],
    ['hooks.partner.example/in', /valid URL/],
    ['https://exa mple.com/', /valid URL/],
  ])('is refused: %s', (url, problem) => {
    expect(webhookUrlProblem(url, STRICT)).toMatch(problem);
  });

  it.each(BLOCKED)('is refused when its host is the IP literal %s', (address, kind) => {
    const problem = webhookUrlProblem(`https://${literalHost(address)}/hook`, STRICT);
    expect(problem).toMatch(kind);
    expect(problem).toMatch(/public addresses only/);
  });

  it.each([
    ['https://2130706433/', /loopback/],
    ['https://017700000001/', /loopback/],
    ['https://0x7f.1/', /loopback/],
    ['https://0x7f000001/', /loopback/],
    ['https://127.1/', /loopback/],
    ['https://0/', /unspecified/],
    ['https://0xa.0.0.1/', /private/],
    ['https://012.0.0.1/', /private/],
    ['https://0xA9FEA9FE/', /link-local/],
    ['https://[::ffff:7f00:1]/', /IPv4-mapped address \(of a loopback address\)/],
    ['https://[0:0:0:0:0:ffff:a00:1]/', /IPv4-mapped address \(of a private address\)/],
    ['https://[::127.0.0.1]/', /not a global unicast/],
  ])('is refused in a disguised IP form as URLs normalise it: %s', (url, kind) => {
    expect(webhookUrlProblem(url, STRICT)).toMatch(kind);
  });

  it('may be http:// or loopback with allowLocal, but nothing else private', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', LOCAL)).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]:4000/hook', LOCAL)).toBeUndefined();
    expect(webhookUrlProblem('http://0x7f.1:4000/hook', LOCAL)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:4000/hook', LOCAL)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1/hook', LOCAL)).toMatch(/private/);
    expect(webhookUrlProblem('http://169.254.169.254/latest/meta-data/', LOCAL)).toMatch(
      /link-local/,
    );
    expect(webhookUrlProblem('http://[::ffff:127.0.0.1]/', LOCAL)).toMatch(/IPv4-mapped/);
    expect(webhookUrlProblem('ftp://127.0.0.1/', LOCAL)).toMatch(/https:\/\/ or http:\/\//);
    expect(webhookUrlProblem('http://user:pw@127.0.0.1/', LOCAL)).toMatch(/user name/);
  });
});

describe('checking where a webhook host resolves', () => {
  it('accepts a name whose every address is public and gives the first to connect to', async () => {
    const lookup = answering('2606:4700::1', '93.184.215.14');
    await expect(
      checkResolvedHost('hooks.partner.example', { ...STRICT, lookup }),
    ).resolves.toEqual({ ok: true, address: '2606:4700::1', family: 6 });
    expect(lookup).toHaveBeenCalledWith('hooks.partner.example');
  });

  it('refuses a name that resolves to any blocked address among good ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BLOCKED),
        fc.shuffledSubarray(PUBLIC, { minLength: 1 }),
        fc.nat(),
        async ([blocked, kind], good, position) => {
          const addresses = [...good];
          addresses.splice(position % (good.length + 1), 0, blocked);
          const lookup = answering(...addresses);
          const checked = await checkResolvedHost('hooks.partner.example', { ...STRICT, lookup });
          expect(checked.ok).toBe(false);
          if (checked.ok) return;
          expect(checked.problem).toMatch(/^The host hooks\.partner\.example resolves to /);
          expect(checked.problem).toMatch(kind);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('checks an IP literal host itself, without asking the resolver', async () => {
    const lookup = answering('93.184.215.14');
    await expect(checkResolvedHost('[::1]', { ...STRICT, lookup })).resolves.toMatchObject({
      ok: false,
      problem: expect.stringMatching(/loopback/),
    });
    await expect(
      checkResolvedHost('169.254.169.254', { ...STRICT, lookup }),
    ).resolves.toMatchObject({ ok: false, problem: expect.stringMatching(/link-local/) });
    await expect(checkResolvedHost('0x7f.1', { ...STRICT, lookup })).resolves.toMatchObject({
      ok: false,
      problem: expect.stringMatching(/loopback/),
    });
    await expect(checkResolvedHost('[2606:4700::1]', { ...STRICT, lookup })).resolves.toEqual({
      ok: true,
      address: '2606:4700::1',
      family: 6,
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a name that does not resolve, or to nothing usable', async () => {
    const failing = vi.fn<LookupAll>(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    });
    await expect(
      checkResolvedHost('nowhere.test', { ...STRICT, lookup: failing }),
    ).resolves.toEqual({
      ok: false,
      problem: 'The host nowhere.test does not resolve (ENOTFOUND).',
    });
    await expect(
      checkResolvedHost('empty.test', { ...STRICT, lookup: answering() }),
    ).resolves.toMatchObject({ ok: false, problem: expect.stringMatching(/no address/) });
    await expect(
      checkResolvedHost('odd.test', { ...STRICT, lookup: answering('not-an-ip') }),
    ).resolves.toMatchObject({ ok: false, problem: expect.stringMatching(/not an IP address/) });
  });

  it('with allowLocal accepts loopback only, never another private address', async () => {
    await expect(
      checkResolvedHost('receiver.test', { ...LOCAL, lookup: answering('127.0.0.1') }),
    ).resolves.toEqual({ ok: true, address: '127.0.0.1', family: 4 });
    await expect(
      checkResolvedHost('receiver.test', { ...LOCAL, lookup: answering('::1') }),
    ).resolves.toEqual({ ok: true, address: '::1', family: 6 });
    for (const address of ['10.0.0.1', '169.254.169.254', '192.168.0.10', 'fd00::1', '0.0.0.0']) {
      const checked = await checkResolvedHost('receiver.test', {
        ...LOCAL,
        lookup: answering('127.0.0.1', address),
      });
      expect(checked.ok, address).toBe(false);
    }
    await expect(checkResolvedHost('127.0.0.1', STRICT)).resolves.toMatchObject({ ok: false });
  });
});
