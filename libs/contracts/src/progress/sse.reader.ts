/** One Server-Sent Event, or a comment line (heartbeats are comments). */
export type SseMessage = { kind: 'event'; event: string; data: string; id?: string } | { kind: 'comment'; text: string };

/**
 * Splits a text/event-stream body into events and comments as the chunks arrive (the WHATWG
 * rules Folio's streams need: `event`, `data` over several lines, `id`, `:` comments, CRLF or LF;
 * `retry` is ignored). An event without `event:` is a `message`. A half-received event at the
 * end of the stream is dropped, as browsers do.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const nl = buffer.search(/\r\n|\n|\r/);
      // A CR at the very end may be the first half of a CRLF still on its way.
      if (nl === -1 || (nl === buffer.length - 1 && buffer.endsWith('\r'))) break;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(buffer.startsWith('\r\n', nl) ? nl + 2 : nl + 1);
      if (line === '') {
        if (data.length > 0) yield { kind: 'event', event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        yield { kind: 'comment', text: line.slice(1).trim() };
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  }
}
