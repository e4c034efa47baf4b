// The guest of the conformance world `guest` (../py_guest/wit/guest.wit)
// written in JavaScript and built with componentize-js (jco's toolchain) by
// tests/conformance/js_build.py. It mirrors ../py_guest/app.py: exports echo
// what they get, `test-imports` calls every function of the imported `host`
// interface and throws (so the component traps) when an answer is wrong.
// Value forms are jco's: s64/u64 are BigInt, records are objects, variants
// and nested options are `{ tag, val }`, flags are objects of booleans, and a
// top-level result's error is thrown.

import * as host from 'conformance:py-guest/host@0.1.0';

const S32_MIN = -(2 ** 31), S32_MAX = 2 ** 31 - 1;
const F32_MAX = 3.4028234663852886e38, F64_MAX = Number.MAX_VALUE;
const PERMS = ['read', 'write', 'exec', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'];

function perms(...on) {
  return Object.fromEntries(PERMS.map((p) => [p, on.includes(p)]));
}

function same(got, want) {
  if (typeof want === 'number' && Number.isNaN(want)) return Number.isNaN(got);
  if (want === undefined || got === undefined) return got === want;
  if (typeof want !== 'object' || want === null) return Object.is(got, want);
  if (ArrayBuffer.isView(want) || Array.isArray(want)) {
    if (!(ArrayBuffer.isView(got) || Array.isArray(got)) || got.length !== want.length) return false;
    for (let i = 0; i < want.length; i++) if (!same(got[i], want[i])) return false;
    return true;
  }
  if (typeof got !== 'object' || got === null) return false;
  const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
  for (const k of keys) if (!same(got[k], want[k])) return false;
  return true;
}

function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

function expect(got, want, what) {
  if (!same(got, want)) throw new Error(`host ${what}: got ${show(got)}, want ${show(want)}`);
}

function expectThrow(fn, payload, what) {
  try {
    fn();
  } catch (e) {
    expect(e.payload, payload, `${what} error`);
    return;
  }
  throw new Error(`host ${what} did not fail`);
}

function bundles() {
  return [
    {
      name: '', points: [], maybeColor: undefined, nested: { tag: 'none' },
      outcome: { tag: 'ok', val: 0n }, outcomes: [], bare: { tag: 'ok', val: undefined },
      shape: { tag: 'none' }, perms: perms(), blob: new Uint8Array(), pairs: [],
    },
    {
      name: 'full ⚑', points: [{ x: S32_MIN, y: S32_MAX }, { x: 0, y: 0 }], maybeColor: 'blue',
      nested: { tag: 'some', val: undefined }, outcome: { tag: 'err', val: 'division-by-zero' },
      outcomes: [{ tag: 'ok', val: 'yes' }, { tag: 'err', val: 255 }, { tag: 'ok', val: '' },
        { tag: 'err', val: 0 }],
      bare: { tag: 'err', val: undefined },
      shape: { tag: 'many', val: [{ at: { x: 1, y: 2 }, color: 'red' }] },
      perms: perms('read', 'b8'), blob: Uint8Array.from({ length: 256 }, (_, i) => i),
      pairs: [['a', undefined], ['b', -0], ['c', Infinity]],
    },
    {
      name: 's', points: [{ x: 1, y: 1 }], maybeColor: 'red', nested: { tag: 'some', val: 'some' },
      outcome: { tag: 'ok', val: 2n ** 64n - 1n }, outcomes: [{ tag: 'ok', val: 'x' }],
      bare: { tag: 'ok', val: undefined }, shape: { tag: 'tagged', val: { tag: 'some', val: 2 ** 31 - 1 } },
      perms: perms('exec'), blob: new Uint8Array([0]), pairs: [['', 1.5]],
    },
  ];
}

export function version() {
  return '0.1.0';
}

export function testImports() {
  host.log('');
  host.log('ünïcödé 🚩 \0 end');

  const scalars = [
    {
      // s64 is not negative here: componentize-js 0.23.0 cannot lower a negative
      // BigInt as s64 ("Internal bindgen error in coreabi_from_bigint64").
      bool: false, s8: -128, u8: 0, s16: -(2 ** 15), u16: 0, s32: S32_MIN, u32: 0, s64: 0n,
      u64: 0n, f32: -F32_MAX, f64: -Infinity, char: '\0', string: '',
    },
    {
      // u32 stays below 2^31: componentize-js 0.23.0 lifts larger u32 values wrong.
      bool: true, s8: 127, u8: 255, s16: 2 ** 15 - 1, u16: 2 ** 16 - 1, s32: S32_MAX, u32: 2 ** 31 - 1,
      s64: 2n ** 63n - 1n, u64: 2n ** 64n - 1n, f32: F32_MAX, f64: F64_MAX, char: '\u{10ffff}',
      string: '🚀 𠈄𓀀',
    },
  ];
  for (const s of scalars) expect(host.echoScalars(s), s, 'echo-scalars');

  expect(host.scale({ x: 3, y: -4 }, 2.0), { x: 6, y: -8 }, 'scale');
  expect(host.scale({ x: S32_MAX, y: S32_MIN }, 1.0), { x: S32_MAX, y: S32_MIN }, 'scale');
  expect(host.scale({ x: 7, y: 9 }, 0.5), { x: 3, y: 4 }, 'scale');

  expect(host.lookup('greeting'), 'hello', 'lookup');
  expect(host.lookup(''), '', 'lookup');
  expect(host.lookup('missing'), undefined, 'lookup');

  expect(host.checkedDouble(21), 42, 'checked-double');
  expect(host.checkedDouble(0), 0, 'checked-double');
  expectThrow(() => host.checkedDouble(2 ** 30), 'too-big', 'checked-double');
  expectThrow(() => host.checkedDouble(-1), 'negative', 'checked-double');

  expect(host.nextColor('red'), 'green', 'next-color');
  expect(host.nextColor('green'), 'blue', 'next-color');
  expect(host.nextColor('blue'), 'red', 'next-color');

  const all = perms(...PERMS);
  expect(host.toggle(perms('read'), perms('write')), perms('read', 'write'), 'toggle');
  expect(host.toggle(all, perms('b8')), perms(...PERMS.slice(0, 8)), 'toggle');
  expect(host.toggle(perms(), all), all, 'toggle');

  expect(host.area({ tag: 'none' }), 0, 'area');
  expect(host.area({ tag: 'circle', val: 1.0 }), Math.PI, 'area');
  // Non-negative: a variant's joined flat slots are i64 here, and componentize-js
  // 0.23.0 cannot lower a negative number into one (the s64 bug again).
  expect(host.area({ tag: 'rect', val: [{ x: 1, y: 2 }, { x: 4, y: 6 }] }), 12, 'area');
  expect(host.area({ tag: 'label', val: 'four' }), 4, 'area');
  expect(host.area({ tag: 'tagged', val: { tag: 'some', val: 7 } }), 7, 'area');
  expect(host.area({ tag: 'tagged', val: { tag: 'some', val: undefined } }), -1, 'area');
  expect(host.area({ tag: 'tagged', val: { tag: 'none' } }), -2, 'area');
  const parts = [0, 1, 2, 3, 4].map((i) => ({ at: { x: i, y: -i }, color: 'blue' }));
  expect(host.area({ tag: 'many', val: parts }), 5, 'area');

  for (const b of bundles()) expect(host.echoBundle(b), b, 'echo-bundle');

  expect(host.bytesSum(new Uint8Array()), 0n, 'bytes-sum');
  const big = new Uint8Array(256 * 1000).map((_, i) => i % 256);
  expect(host.bytesSum(big), BigInt(255 * 128 * 1000), 'bytes-sum');
}

let made = 0;

class Counter {
  constructor(start) {
    this.v = start;
    this.h = [start];
    made += 1;
  }
  incr(by) {
    this.v += by;
    this.h.push(this.v);
    return this.v;
  }
  value() {
    return this.v;
  }
  history() {
    return this.h.slice();
  }
  static merge(into, other) {
    const merged = new Counter(into.v + other.v);
    merged.h = [...into.h, ...other.h, merged.v];
    return merged;
  }
}

const echo = (v) => v;

export const api = {
  Counter,
  echoBool: echo, echoS8: echo, echoU8: echo, echoS16: echo, echoU16: echo, echoS32: echo,
  echoU32: echo, echoS64: echo, echoU64: echo, echoF32: echo, echoF64: echo, echoChar: echo,
  echoString: echo, echoBytes: echo, echoScalars: echo, echoPoints: echo, echoTuple: echo,
  swap([a, b]) {
    return [b, a];
  },
  echoColor: echo, echoPerms: echo, echoShape: echo, echoShapes: echo, echoOption: echo,
  echoNested: echo, echoResults: echo, echoOptionResult: echo, echoBundle: echo,
  checkedDiv(a, b) {
    if (b === 0) throw 'division-by-zero';
    const q = Math.trunc(a / b);
    if (q > S32_MAX) throw 'too-big';
    return q;
  },
  nestedResult(outer, inner) {
    if (!outer) throw 'outer';
    return inner ? { tag: 'ok', val: undefined } : { tag: 'err', val: 'inner' };
  },
  noPayload(ok) {
    if (!ok) throw undefined;
  },
  scaledArea(p, factor) {
    const q = host.scale(p, factor);
    return q.x * q.y;
  },
  total(a, b) {
    return a.v + b.v;
  },
  consume(c) {
    return c.v;
  },
  countersMade() {
    return made;
  },
};
