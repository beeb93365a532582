import { parseArgs } from 'node:util';
import { randomPassword } from '../../server/auth/password.ts';
import { CreateUserSchema } from '../../server/users/schema.ts';
import { createUser } from '../../server/users/service.ts';
import { parseInput } from '../../server/validate.ts';
import { usageError, type Command } from './types.ts';

export const users: Command = {
  name: 'users',
  summary: 'add a user (password from --password, else a random one printed once)',
  usage: 'users add USERNAME --org ID --roles editor,reviewer [--name 姓名] [--password P]',
  async run(ctx) {
    const { positionals, values } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { org: { type: 'string' }, roles: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
    if (positionals[0] !== 'add' || !positionals[1]) {
      return usageError(this.usage);
    }
    const password = values.password ?? randomPassword();
    const input = parseInput(CreateUserSchema, {
      username: positionals[1],
      displayName: values.name ?? positionals[1],
      orgId: values.org,
      roles: (values.roles ?? '').split(',').filter(Boolean),
      password,
    });
    const deps = await ctx.openDeps();
    const user = await createUser({ deps, actor: 'system', input });
    ctx.print({ user, ...(values.password ? {} : { password }) }, `已创建用户 ${user.username}（${user.roles.join(', ')}，${user.orgId}）${values.password ? '' : `，初始密码：${password}`}`);
    return 0;
  },
};
