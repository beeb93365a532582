import { ensureAdmin } from '../../server/bootstrap.ts';
import { DEMO_PASSWORD, seedDemo } from '../seed/demo.ts';
import { usageError, type Command } from './types.ts';

export const seed: Command = {
  name: 'seed',
  summary: 'write the Yancheng demo data (org tree, demo accounts, items in every state)',
  usage: 'seed --demo',
  async run(ctx) {
    if (!ctx.argv.includes('--demo')) {
      return usageError(this.usage);
    }
    const deps = await ctx.openDeps();
    const counts = await seedDemo(deps);
    const admin = await ensureAdmin(deps);
    ctx.print({ ...counts, demoPassword: DEMO_PASSWORD, admin: admin ? { username: admin.username, password: admin.password } : null }, `已写入演示数据：${counts.orgs} 个组织、${counts.users} 个演示账号（密码 ${DEMO_PASSWORD}）、${counts.items} 篇稿件${admin?.generated ? `；管理员 admin 初始密码：${admin.password}` : ''}`);
    return 0;
  },
};
