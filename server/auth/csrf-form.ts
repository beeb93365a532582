import busboy from 'busboy';

/** The most of a multipart body read to find the `_csrf` field: the fields before the file, never the file. */
export const CSRF_PREFIX_MAX = 64 * 1024;

/**
 * Finds the `_csrf` field of a multipart form without reading the file parts: the body is parsed
 * only until that field has been read, a file part starts, or CSRF_PREFIX_MAX bytes went by — a
 * token after the file does not count (a browser sends the fields in page order, and every workbench
 * form puts `_csrf` first). Returns the token (undefined when there was none before the file) and
 * the same body again, the bytes already read followed by the rest, for the route to stream.
 */
export async function csrfBeforeFile(body: ReadableStream<Uint8Array>, contentType: string): Promise<{ token: string | undefined; body: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const read: Uint8Array[] = [];
  let total = 0;
  let token: string | undefined;
  let decided = false;
  let ended = false;
  let parser: busboy.Busboy | undefined;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { fieldSize: 4096, fields: 50, parts: 60 } });
  } catch {
    decided = true; // not a parsable multipart form: no token; the route reports the framing
  }
  if (parser) {
    parser.on('field', (name, value) => {
      if (name === '_csrf' && !decided) {
        token = value;
        decided = true;
      }
    });
    parser.on('file', (_name, stream) => {
      decided = true;
      // destroying the parser below ends this part early: its error must not go unhandled
      stream.on('error', () => undefined).resume();
    });
    parser.on('error', () => (decided = true));
  }
  // busboy emits its events synchronously inside write(), so `decided` is current after each chunk
  while (!decided && total < CSRF_PREFIX_MAX) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      parser!.end();
      break;
    }
    read.push(value);
    total += value.byteLength;
    parser!.write(value);
  }
  parser?.destroy();
  let replayed = 0;
  const rest = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (replayed < read.length) return controller.enqueue(read[replayed++]!);
        if (ended) return controller.close();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { token, body: rest };
}
