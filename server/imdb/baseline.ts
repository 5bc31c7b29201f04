/**
 * The baseline: the three files the last import read, kept so that the next import can
 * compare the day's files with them line by line (load-delta.ts) instead of comparing all
 * of them with the whole catalogue.
 *
 * The merge records the files' SHA-256 in sync_state (BASELINE_KEY) in its transaction;
 * the kept files are trusted only while their own hash is that one. So a crash between
 * the commit and the copy, an import from elsewhere into the same database, an edit by
 * the owner (which forgets the hash, see forgetBaselineSql) or files changed in place all
 * lead to a whole comparison, never to a delta against the wrong snapshot.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeReadError, ImdbFileError } from './file-error.ts';
import { IMDB_FILES, type ImdbFile, type KeyOrder } from './imdb-files.ts';
import { BaselineUnusable } from './snapshot-diff.ts';

export { BASELINE_KEY } from '../db/imdb-baseline.ts';

const FILE_NAMES = Object.values(IMDB_FILES);
// The order each kept file's tconsts came in, as the import that read it saw.
const ORDERS_FILE = 'key-order.json';

/** What a dialect importer needs to know about the baseline (import.ts plans it). */
export interface BaselinePlan {
  /** Compare with these files (their hash is the one the database recorded), or not. */
  delta: { baselineDir: string; baselineHash: string } | null;
  /** Record this hash as the next baseline (null: forget any baseline). */
  nextBaselineHash: string | null;
}

/**
 * Runs a dialect's import with the plan and, when the baseline turns out unusable on the
 * way, once more comparing the whole files (in a fresh session: its temp tables start empty).
 */
export async function withWholeFallback<T>(
  plan: BaselinePlan,
  log: ((message: string) => void) | undefined,
  attempt: (plan: BaselinePlan) => Promise<T>,
): Promise<T> {
  try {
    return await attempt(plan);
  } catch (error) {
    if (!(plan.delta && error instanceof BaselineUnusable)) throw error;
    log?.(`comparing the whole files instead of a delta: ${error.message}`);
    return attempt({ ...plan, delta: null });
  }
}

/** SHA-256 over the three files in a fixed order: one value says "same snapshot". */
export async function hashDatasetFiles(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of FILE_NAMES) {
    const file = path.join(dir, name);
    await pipeline(fs.createReadStream(file), async (source) => {
      for await (const chunk of source) hash.update(chunk);
    }).catch((error: unknown) => {
      // Named like every other unreadable file (a directory in its place: EISDIR).
      throw new ImdbFileError(file, describeReadError(error), { cause: error });
    });
  }
  return hash.digest('hex');
}

/** Whether `baselineDir` holds the files whose hash the database recorded. */
export async function baselineMatches(baselineDir: string, recordedHash: string | null): Promise<boolean> {
  const kept = [...FILE_NAMES, ORDERS_FILE].every((name) => fs.existsSync(path.join(baselineDir, name)));
  if (!recordedHash || !kept) return false;
  return (await hashDatasetFiles(baselineDir).catch(() => null)) === recordedHash;
}

/** The order each kept file's tconsts came in; a delta walks the day's files in the same. */
export async function baselineKeyOrders(baselineDir: string): Promise<Record<ImdbFile, KeyOrder>> {
  const text = await readFile(path.join(baselineDir, ORDERS_FILE), 'utf8').catch(() => '');
  const orders = (text ? JSON.parse(text) : {}) as Partial<Record<ImdbFile, unknown>>;
  const valid = (value: unknown): value is KeyOrder => value === 'number' || value === 'text';
  if (!(valid(orders.basics) && valid(orders.episodes) && valid(orders.ratings))) {
    throw new BaselineUnusable('the order of the kept files is not recorded');
  }
  return { basics: orders.basics, episodes: orders.episodes, ratings: orders.ratings };
}

/**
 * Keeps the files of `dir` as the baseline: hard links where the file system allows (the
 * downloader replaces files by renaming, so a link keeps the old content), copies
 * elsewhere; built aside, then put in place.
 */
export async function saveBaseline(
  dir: string,
  baselineDir: string,
  keyOrders: Record<ImdbFile, KeyOrder>,
): Promise<void> {
  const next = `${baselineDir}.next`;
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  for (const name of FILE_NAMES) {
    const from = path.join(dir, name);
    const to = path.join(next, name);
    await link(from, to).catch(() => copyFile(from, to));
  }
  await writeFile(path.join(next, ORDERS_FILE), `${JSON.stringify(keyOrders)}\n`);
  await rm(baselineDir, { recursive: true, force: true });
  await rename(next, baselineDir);
}
