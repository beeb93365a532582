import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import importPage from './import.tsx';
import list from './list.tsx';
import detail from './detail.tsx';
import escalated from './escalated.tsx';
import groups from './groups.tsx';
import groupActions from './group-actions.tsx';
import reports from './reports.tsx';
import filing from './filing.tsx';
import categories from './categories.tsx';

/** The weekly desk: concerns, groups, reports. Order matters where a fixed path looks like an id. */
const concerns = new Hono<AppEnv>();
concerns.route('/', importPage); // before the detail page: /concerns/import is not a concern id
concerns.route('/', list);
concerns.route('/', detail);
concerns.route('/', escalated); // before the group actions: /groups/escalated is not a group id
concerns.route('/', groups);
concerns.route('/', groupActions);
concerns.route('/', reports);
concerns.route('/', filing);
concerns.route('/', categories);
export default concerns;
