import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsafePathReason, validateCorpusText } from '../../src/corpus/index.js';
import { InputError } from '../../src/model/index.js';

describe('corpus validation', () => {
  it('accepts plain absolute paths with queries', () => {
    assert.equal(unsafePathReason('/v1/orders/1?x=@y'), undefined);
    assert.equal(unsafePathReason('/'), undefined);
  });

  it('rejects paths that would change the host when appended to the base URL', () => {
    for (const p of ['@10.0.0.5/x', '.evil.example/x', '//10.0.0.5/x', 'x', '', 7])
      assert.ok(unsafePathReason(p), `accepted ${JSON.stringify(p)}`);
  });

  it('names the file and the first bad line in one line', () => {
    const text =
      '{"method":"GET","path":"/a"}\n\n{"method":"GET","path":"//h/x"}\n{"method":"GET","path":"@h"}\n';
    assert.throws(
      () => validateCorpusText(text, 'c.ndjson'),
      (e: Error) =>
        e instanceof InputError &&
        e.message === 'c.ndjson:3: path "//h/x" must not start with "//" (no host)',
    );
  });

  it('rejects a line that is not a JSON request object', () => {
    assert.throws(
      () => validateCorpusText('{"method":"GET","path":"/a"}\nnope\n', 'c'),
      /^InputError: c:2: not a JSON/,
    );
    assert.throws(() => validateCorpusText('{"path":"/a"}\n', 'c'), /c:1: method must be a string/);
  });

  it('accepts capture timestamps that never decrease and refuses ones that go back, are negative or missing where replay needs them', () => {
    const line = (atMs?: unknown) =>
      JSON.stringify({ method: 'GET', path: '/a', ...(atMs !== undefined && { atMs }) });
    validateCorpusText([line(0), line(5), line(5), line(900)].join('\n'), 'c');
    validateCorpusText([line(), line()].join('\n'), 'c');
    assert.throws(
      () => validateCorpusText([line(10), line(3)].join('\n'), 'c'),
      /^InputError: c:2: atMs 3 is before the previous line's 10/,
    );
    assert.throws(() => validateCorpusText(line(-1), 'c'), /c:1: atMs must be a non-negative number/);
    assert.throws(() => validateCorpusText(line('7'), 'c'), /c:1: atMs must be a non-negative number/);
    assert.throws(
      () => validateCorpusText([line(1), line()].join('\n'), 'c', { needAtMs: true }),
      /c:2: atMs is missing; a phase with arrivals: replay needs it on every line/,
    );
  });
});
