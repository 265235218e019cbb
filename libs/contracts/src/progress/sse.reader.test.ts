import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './sse.reader.ts';

async function collect(chunks: string[]): Promise<SseMessage[]> {
  async function* body() {
    for (const c of chunks) yield new TextEncoder().encode(c);
  }
  const out: SseMessage[] = [];
  for await (const m of readSse(body())) out.push(m);
  return out;
}

describe('readSse', () => {
  it('reads events split anywhere across chunks, comments and multi-line data', async () => {
    const text = 'event: snapshot\ndata: {"a":1}\n\n: heartbeat\n\nevent: progress\r\ndata: line1\r\ndata:line2\r\nid: 7\r\n\r\ndata: plain\n\n';
    const expected: SseMessage[] = [
      { kind: 'event', event: 'snapshot', data: '{"a":1}' },
      { kind: 'comment', text: 'heartbeat' },
      { kind: 'event', event: 'progress', data: 'line1\nline2', id: '7' },
      { kind: 'event', event: 'message', data: 'plain', id: '7' },
    ];
    expect(await collect([text])).toEqual(expected);
    expect(await collect(text.split(''))).toEqual(expected);
  });

  it('drops an event cut off by the end of the stream, and multibyte characters survive splits', async () => {
    const bytes = 'data: Grüße\n\ndata: cut';
    expect(await collect([bytes.slice(0, 9), bytes.slice(9)])).toEqual([{ kind: 'event', event: 'message', data: 'Grüße' }]);
  });
});
