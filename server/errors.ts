/** One issue of a failed validation: `path` is dotted (`scenes.2.seconds`), `message` is for people. */
export interface Issue {
  path: string;
  message: string;
}

interface AppErrorOptions {
  data?: unknown;
  issues?: Issue[];
  cause?: unknown;
}

/** Base of every error the app turns into a JSON answer; anything else is a 500. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly data: unknown;
  readonly issues: Issue[];

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.data = options.data;
    this.issues = options.issues ?? [];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, issues: this.issues, ...(this.data === undefined ? {} : { data: this.data }) } };
  }
}

/** 400: the input is malformed; the message starts with the first issue's path. */
export class ValidationError extends AppError {
  constructor(issues: Issue[], options: Omit<AppErrorOptions, 'issues'> = {}) {
    const first = issues[0];
    const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid input';
    super(400, 'validation_failed', message, { ...options, issues });
  }

  /** Shorthand for a single-field error. */
  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = '请先登录', options: AppErrorOptions = {}) {
    super(401, 'unauthorized', message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(403, 'forbidden', message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(404, 'not_found', message, options);
  }
}

/** 409: a stale `version`, a duplicate, or a state that does not allow the change. */
export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(409, 'conflict', message, options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(413, 'payload_too_large', message, options);
  }
}

/** 415 for a format we do not take, 422 for a file that is what it claims but unusable (corrupt, too small). */
export class MediaError extends AppError {
  constructor(status: 415 | 422, message: string, options: AppErrorOptions = {}) {
    super(status, status === 415 ? 'unsupported_media_type' : 'unprocessable_media', message, options);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(429, 'too_many_requests', message, options);
  }
}

/** 503: the server is at capacity for this kind of work (image decoding); try again after `retryAfterSeconds`. */
export class ServiceBusyError extends AppError {
  constructor(message: string, retryAfterSeconds: number, options: Omit<AppErrorOptions, 'data'> = {}) {
    super(503, 'busy', message, { ...options, data: { retryAfterSeconds } });
  }
}

/** Turns zod issues into our `{ path, message }` list. */
export function issuesFromZod(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, prefix = ''): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}
