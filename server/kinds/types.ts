import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import type { AppEnv, Deps } from '../context.ts';
import type { Item, ItemStatus } from '../content/schema.ts';
import type { User } from '../users/schema.ts';

/** A published item as the site, feeds and exports see it: the record plus its rendered body, org name and site path. */
export type Published<T = Item> = T & { bodyHtml: string; orgName: string; url: string; column?: string | undefined };

/** HTML a kind adds around the item's body (already escaped; relative URLs). */
export interface KindHtml {
  before: string[];
  after: string[];
}

export interface JsonLdContext {
  siteUrl: string;
  siteTitle: string;
  imageUrl: string;
}

/** A form body as the workbench reads it (repeated names as arrays). */
export type FormFields = Record<string, string | string[]>;

export interface EditorContext<T> {
  deps: Deps;
  item: T;
  /** `edit` for drafts, `correct` for published items (correction note), `read` otherwise. */
  mode: 'edit' | 'correct' | 'read';
}

export interface NewFormContext {
  deps: Deps;
  user: User;
}

export interface ReviewContext<T> {
  deps: Deps;
  item: T;
}

/** A page or file a kind adds to the public site, written after the Astro build. */
export interface SiteFile {
  path: string;
  body: string;
}

/**
 * Everything the rest of the system asks of an item kind. A kind lives in `server/kinds/<kind>/`,
 * exports one object of this type and is listed once in `server/kinds/registry.ts`.
 * Optional parts are present with an explicit `null`, so a half-added kind does not typecheck.
 */
export interface KindModule<T extends { kind: string } = Item> {
  kind: T['kind'];
  /** Chinese name in the workbench (`谣言识破攻略`). */
  label: string;

  schemas: {
    /** The stored record: shared fields plus the kind's own, `kind` a literal. */
    item: z.ZodObject;
    /** POST /api/items input for this kind (`kind` literal, shared editable fields, the kind's fields). */
    create: z.ZodObject;
    /** The kind's own fields a PATCH may carry, all optional; merged into the API's update schema. */
    update: z.ZodRawShape;
    /**
     * The kind's own fields as a draft may hold them (lenient: what autosave and older records carry);
     * the workbench reads drafts through it, and `checks.beforeReview` holds the strict line.
     */
    draft: z.ZodType;
  };

  checks: {
    /** Before an edit is stored (e.g. a published video's storyboard cannot change); throws AppError. */
    beforeUpdate(item: T, input: Record<string, unknown>): void;
    /** Before the item goes to review or is approved; throws AppError (409/400) naming the field. */
    beforeReview(item: T, to: ItemStatus): void;
    /** Before the item is published (e.g. video needs a render of its current storyboard). */
    beforePublish(item: T): void;
  };

  /** The site column the kind's pages live in: `/<key>/<slug>/`. */
  column: { key: string; name: string; description: string };

  html: {
    /** Around the body on the item's site page. */
    site(item: Published<T>): KindHtml;
    /** Around the body in feeds (content:encoded, content_html). */
    feed(item: Published<T>): KindHtml;
    /** Around the body in the WeChat article, inline styles only. */
    wechat(item: Published<T>): KindHtml;
  };

  /** schema.org objects for the item page; `null` means the default NewsArticle. */
  jsonLd(item: Published<T>, ctx: JsonLdContext): object[] | null;

  /** Text blocks of the Weibo long text, before and after the body. */
  weibo(item: Published<T>): KindHtml;

  /** Media files (relative to the data dir) the item's page links to beyond body images and cover. */
  media(item: T): string[];

  editor: {
    /** Extra fields of the "new item" form (title is always there); `null` when none. */
    newFields: ((ctx: NewFormContext) => Child | Promise<Child>) | null;
    /** The create input from the "new item" form, given the shared part. */
    fromNewForm(form: FormFields, common: { kind: string; title: string; body: unknown }): Record<string, unknown>;
    /** The kind's fields on the edit page, after the body editor; `null` when none. */
    fields: ((ctx: EditorContext<T>) => Child | Promise<Child>) | null;
    /** The kind's part of the workbench preview, after the body; `null` when none. */
    preview: ((item: T) => Child) | null;
  };

  review: {
    /** Shown above the body diff (e.g. the rendered video); `null` when none. */
    beforeDiff: ((ctx: ReviewContext<T>) => Child | Promise<Child>) | null;
    /** Shown under the body diff (e.g. claims and verdicts); `null` when none. */
    afterDiff: ((ctx: ReviewContext<T>) => Child | Promise<Child>) | null;
  };

  /** A draft started from a concern group (title and quotes given); `null` when the kind cannot start from a group. */
  fromGroup: ((args: { groupTitle: string; quotes: string[] }) => Record<string, unknown>) | null;

  /** API routes the kind adds under `/api/items` (e.g. `POST /{id}/render`); `null` when none. */
  api: OpenAPIHono<AppEnv> | null;

  /** Extra files the kind adds to the public site after the build (pages, JSON); `null` when none. */
  siteFiles: ((items: Published<T>[]) => SiteFile[]) | null;
}

/** A kind module of any kind, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKindModule = KindModule<any>;

/** The parts every kind declares (the registry test checks each one is there). */
export const KIND_PARTS = ['kind', 'label', 'schemas', 'checks', 'column', 'html', 'jsonLd', 'weibo', 'media', 'editor', 'review', 'fromGroup', 'api', 'siteFiles'] as const;

/** The registered kinds and what is built from them (see `createKindRegistry`). */
export interface KindRegistry {
  list: readonly AnyKindModule[];
  /** The kind module, or a 400 naming `kind` with the kinds there are. */
  get(kind: string): AnyKindModule;
  find(kind: string): AnyKindModule | undefined;
  /** Chinese name of a kind (the kind itself when unknown). */
  label(kind: string): string;
  /** The site's columns in menu order, one per kind (kinds may share one). */
  columns: readonly { key: string; name: string; description: string }[];
  schemas: {
    /** Stored item of any kind, discriminated by `kind`. */
    item: z.ZodType;
    /** POST /api/items body of any kind. */
    create: z.ZodType;
    /** PATCH /api/items/{id} body: shared fields plus every kind's own fields (checked per kind by the service). */
    update: z.ZodType;
  };
  /** Kinds that own a kind-specific update field (`claims` → rumor-guide). */
  ownersOf(field: string): AnyKindModule[];
}
