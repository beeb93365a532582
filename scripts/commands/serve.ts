import { ensureAdmin } from '../../server/bootstrap.ts';
import { startServer } from '../../server/main.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../seed/demo.ts';
import type { Command } from './types.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'start the workbench (seeds the demo on an empty data dir unless --no-demo)',
  usage: 'serve [--port N] [--no-demo]',
  async run(ctx) {
    const portAt = ctx.argv.indexOf('--port');
    if (portAt >= 0) {
      const port = Number(ctx.argv[portAt + 1]);
      // the default public address follows --port unless LIANXIN_SITE_URL says otherwise
      if (!process.env.LIANXIN_SITE_URL && ctx.config.siteUrl === `http://localhost:${ctx.config.port}`) ctx.config.siteUrl = `http://localhost:${port}`;
      ctx.config.port = port;
    }
    const deps = await ctx.openDeps();
    // several instances starting on one empty database: one seeds, the others wait and find it done
    const bootstrap = async () => {
      const empty = (await deps.store.collection('users').count()) === 0;
      if (empty && !ctx.argv.includes('--no-demo')) {
        console.log('数据目录为空，正在写入演示数据（盐城案例）…');
        await seedDemo(deps);
        console.log(`演示账号（密码均为 ${DEMO_PASSWORD}，仅供演示）：${DEMO_USERS.map((u) => u.username).join('、')}`);
      }
      return ensureAdmin(deps);
    };
    const admin = deps.cluster ? await deps.cluster.serialized('bootstrap', bootstrap) : await bootstrap();
    if (admin?.generated) {
      console.log(`\n  已创建管理员 admin，初始密码（只显示这一次）：${admin.password}\n`);
    } else if (admin) console.log('已创建管理员 admin（密码来自 LIANXIN_ADMIN_PASSWORD）');
    const server = await startServer(deps);
    console.log(`连心已启动：工作台 ${server.url}/workbench  公开网站 ${server.url}/  API 文档 ${server.url}/api/docs  （数据目录 ${ctx.config.dataDir}${ctx.config.databaseUrl ? '，数据库 PostgreSQL' : ''}）`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    console.log('正在停止…');
    await server.close();
  },
};
