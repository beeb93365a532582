import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../context.ts';
import { writeDurable } from '../reach/durable.ts';
import { publicCommendations } from './service.ts';

/** Where the site build reads the 表彰 list (names and titles only). */
export const honorsFile = (dataDir: string) => join(dataDir, 'honors.json');

/** Writes the public commendation list for the site's /honors/ page; the page follows at the next site build. */
export async function writeHonors(deps: Deps): Promise<void> {
  mkdirSync(deps.config.dataDir, { recursive: true });
  writeDurable(honorsFile(deps.config.dataDir), JSON.stringify(await publicCommendations({ deps }), null, 1));
}
