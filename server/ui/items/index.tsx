import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import list from './list.tsx';
import editor from './editor.tsx';
import preview from './preview.tsx';

/** The item list, the editor and the preview pages. */
const items = new Hono<AppEnv>();
items.route('/items', list);
items.route('/', editor);
items.route('/', preview);
export default items;
