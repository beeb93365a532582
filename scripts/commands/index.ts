import type { Command } from './types.ts';
import { serve } from './serve.ts';
import { seed } from './seed.ts';
import { users } from './users.ts';
import { backup, restore } from './backup.ts';
import { migrateCommand } from './migrate.ts';
import { worker } from './worker.ts';
import { render } from './render.ts';
import { build } from './build.ts';
import { exportCommand } from './export.ts';
import { groupCommand, importCommand, reportCommand } from './concerns.ts';

/** Every CLI command; a domain adds its own here. */
export const commands: Command[] = [serve, seed, users, backup, restore, render, build, exportCommand, importCommand, groupCommand, reportCommand, migrateCommand, worker];
