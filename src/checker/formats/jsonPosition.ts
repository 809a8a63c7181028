/**
 * Where a JSON text stops being valid. V8's `JSON.parse` messages only sometimes carry a
 * position ("... in JSON at position 12") and sometimes only a snippet ("Unexpected token '}',
 * ..."a":}" is not valid JSON"), so error reports find the offset themselves with this small
 * recursive-descent validator. It runs only after `JSON.parse` has failed.
 */

const WS = new Set([' ', '\t', '\n', '\r']);

/** Offset of the first character at which `text` is not valid JSON (text.length if it ends early). */
export function jsonErrorOffset(text: string): number {
  let pos = 0;
  const fail = (): never => {
    throw pos;
  };
  const ws = (): void => {
    while (pos < text.length && WS.has(text[pos]!)) pos++;
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[pos] !== c) fail();
      pos++;
    }
  };
  const string = (): void => {
    pos++;
    for (;;) {
      if (pos >= text.length) fail();
      const c = text[pos]!;
      if (c === '"') return void pos++;
      if (c < ' ') fail();
      if (c === '\\') {
        pos++;
        const e = text[pos];
        if (e === 'u') {
          for (let i = 0; i < 4; i++) {
            pos++;
            if (!/[0-9a-fA-F]/.test(text[pos] ?? '')) fail();
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
      }
      pos++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (m === null || m[0] === '' || m[0] === '-') fail();
    pos += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') return void pos++;
      for (;;) {
        ws();
        if (text[pos] !== '"') fail();
        string();
        ws();
        if (text[pos] !== ':') fail();
        pos++;
        value();
        ws();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return void pos++;
        else fail();
      }
    }
    if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') return void pos++;
      for (;;) {
        value();
        ws();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return void pos++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value();
    ws();
    if (pos < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return text.length;
}
