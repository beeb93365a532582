import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import login from './login.tsx';
import page from './page.tsx';

/** Login, logout and the home panels. */
const home = new Hono<AppEnv>();
home.route('/', login);
home.route('/', page);
export default home;
