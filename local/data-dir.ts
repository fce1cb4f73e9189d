import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the local stack keeps between runs under LOCAL_DATA_DIR: the table (dynalite on
 * LevelDB), the activation secret (outstanding links are derived from it, so a new one would
 * break every link already mailed) and the generated partner key (only its hash is in the
 * table, so it could not be printed again). No directory: everything in memory, as tests use.
 */
export interface LocalData {
  /** dynalite's LevelDB directory; undefined keeps the table in memory. */
  readonly tablePath?: string;
  readonly activationSecret: string;
  readonly partnerKeys: readonly string[];
}

const newPartnerKey = (): string => `sak_${randomBytes(32).toString('base64url')}`;
const newSecret = (): string => randomBytes(32).toString('base64url');

/** Reads a value kept in the directory, or makes and keeps one (owner-only: it is a secret). */
const kept = (dir: string | undefined, file: string, make: () => string): string => {
  if (!dir) return make();
  const path = join(dir, file);
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (value) return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
};

export const openLocalData = (options: {
  /** Empty or undefined: in memory. */
  readonly dir?: string;
  /** LOCAL_PARTNER_KEYS; when empty one key is generated (and kept). */
  readonly partnerKeys?: readonly string[];
  /** ACTIVATION_SECRET, when the developer pins one. */
  readonly activationSecret?: string;
}): LocalData => {
  const dir = options.dir || undefined;
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    tablePath: dir ? join(dir, 'dynamodb') : undefined,
    activationSecret: options.activationSecret || kept(dir, 'activation-secret', newSecret),
    partnerKeys: options.partnerKeys?.length
      ? [...options.partnerKeys]
      : [kept(dir, 'partner-key', newPartnerKey)],
  };
};
