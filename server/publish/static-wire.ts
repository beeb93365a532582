import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { SiteAnswer } from './static-headers.ts';

/** Writes a site answer straight on a node:http response: its prepared `wire` headers, then bytes from memory or the file. */
export function writeAnswer(res: ServerResponse, found: SiteAnswer): void {
  res.writeHead(found.status, found.wire);
  if (found.body) res.end(found.body);
  else if (found.file) {
    const stream = createReadStream(found.file, found.range);
    stream.once('error', () => res.destroy());
    stream.pipe(res);
  } else res.end();
}
