/** One satisfiable byte range of a file: first and last byte, both included (RFC 9110 §14.1.2). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks of a file of `size` bytes (RFC 9110 §14.2): one range, `'unsatisfiable'`
 * (answer 416), or undefined: no header, another unit, a malformed value or several ranges. A server may
 * ignore any Range header and send the whole file with 200 (§14.2), which is what undefined means: the
 * site's files are pages and videos, where players ask for one range at a time, so multipart/byteranges
 * answers would buy nothing.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined || size === 0) return undefined;
  // the unit is case-insensitive; whitespace around the one range-spec is tolerated (OWS)
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // bytes=-n: the last n bytes (all of them when the file is shorter)
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // last < first is an invalid range-spec, not an unsatisfiable one: the header is ignored
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/**
 * Whether an `If-Range` validator still names the file (RFC 9110 §13.1.5): an entity tag by strong
 * comparison (a weak tag never matches), or a date equal to Last-Modified when that date is a strong
 * validator, i.e. the file has not changed within the second the date covers (its mtime is more than a
 * second before `now`). No If-Range: the range holds.
 */
export function ifRangeHolds(ifRange: string | undefined, validators: { etag: string; lastModified: string; mtimeMs: number }, now: number): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && !validators.etag.startsWith('W/') && value === validators.etag;
  return value === validators.lastModified && now - validators.mtimeMs >= 1000;
}
