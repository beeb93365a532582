/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/** The session's CSRF token as the hidden field every workbench POST form carries. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/**
 * A titled card with one POST form (the workbench's "新建…" / "登记…" panels): the heading labels the
 * section, the form carries the CSRF token and stacks its fields.
 */
export function FormCard(props: { id: string; title: Child; action: string; csrf: string; narrow?: boolean; hint?: Child; children?: Child }) {
  return (
    <section class={props.narrow === false ? 'card' : 'card narrow'} aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.hint && <p class="hint">{props.hint}</p>}
      <form method="post" action={props.action} class="stack">
        <Csrf token={props.csrf} />
        {props.children}
      </form>
    </section>
  );
}
