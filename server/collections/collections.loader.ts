/**
 * Loads collections/*.yaml at start: each file is validated, a bad one is logged by file
 * name and field and skipped, and the good ones are upserted. Nothing here stops the app.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { Logger } from '../logger.ts';
import type { CollectionsRepository } from './collections.repository.ts';
import { type CollectionDefinition, collectionDefinition } from './collections.schemas.ts';

/** The catalogue bundled with the app. */
export const CATALOGUE_DIR = fileURLToPath(new URL('../../collections', import.meta.url));

export interface LoadedCollection {
  file: string;
  definition: CollectionDefinition;
}

function problemOf(text: string): { definition?: CollectionDefinition; problem?: string } {
  let document: unknown;
  try {
    document = yaml.load(text);
  } catch (error) {
    return { problem: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const result = collectionDefinition.safeParse(document);
  if (result.success) return { definition: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(file)';
  return { problem: `${field}: ${issue?.message ?? 'invalid'}` };
}

/** Every valid definition in `dir`, by file name; invalid files and repeated slugs are logged and skipped. */
export async function loadCollectionFiles(dir: string, log: Logger): Promise<LoadedCollection[]> {
  const files = (await fs.readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const loaded: LoadedCollection[] = [];
  const slugs = new Map<string, string>();
  for (const file of files) {
    const { definition, problem } = problemOf(await fs.readFile(path.join(dir, file), 'utf8'));
    if (!definition) {
      log.warn(`collections: skipped ${file}: ${problem}`);
      continue;
    }
    const earlier = slugs.get(definition.slug);
    if (earlier) {
      log.warn(`collections: skipped ${file}: slug: '${definition.slug}' is already used by ${earlier}`);
      continue;
    }
    slugs.set(definition.slug, file);
    loaded.push({ file, definition });
  }
  return loaded;
}

/** Loads and upserts the collections in `dir`; resolves to how many were saved. */
export async function syncCollections(deps: { collections: CollectionsRepository; dir?: string; log: Logger }) {
  const { collections, dir = CATALOGUE_DIR, log } = deps;
  let saved = 0;
  for (const { file, definition } of await loadCollectionFiles(dir, log)) {
    try {
      const { missing } = await collections.upsert(definition);
      if (missing.length > 0) log.info(`collections: ${file}: ${missing.length} title(s) not in the catalogue yet`);
      saved++;
    } catch (error) {
      log.error(`collections: could not save ${file}`, error);
    }
  }
  return saved;
}
