/**
 * Generated bad input for the fuzz suite: values that are the wrong type, too large, odd
 * unicode, injection attempts, malformed percent-encoding; query strings with unknown,
 * missing and repeated parameters; bodies that are not JSON, not objects, or objects with
 * the right keys holding the wrong things.
 */
import fc from 'fast-check';

const INJECTIONS = [
  "' OR '1'='1",
  '1; DROP TABLE titles; --',
  '1 UNION SELECT * FROM sqlite_master',
  "'); DELETE FROM titles; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '<%= 7*7 %>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}',
  '../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '\\u0000',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '0x10',
  ' 1',
  '1 ',
  '+1',
];

const NUMBERISH = [
  '0',
  '-1',
  '1.5',
  '2147483648',
  '9007199254740993',
  '99999999999999999999999999',
  '-99999999999',
  '1e5',
  '007',
  '٣',
  '１',
];

/** One bad scalar, as text (for paths and query strings). */
export const badText = fc.oneof(
  fc.constantFrom(...INJECTIONS, ...NUMBERISH),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constant('x'.repeat(3000)),
  fc.constant('é'.repeat(400)),
);

/** Text in a URL: encoded or, when plain ASCII, raw (so the server sees its own decoding). */
export const urlPart = badText.chain((value) =>
  /^[\x21-\x7e]*$/.test(value) && !/[#?/]/.test(value)
    ? fc.constantFrom(value, encodeURIComponent(value))
    : fc.constant(encodeURIComponent(value)),
);

/** A query string from the route's own parameter names and others, some repeated or empty. */
export const queryString = (names: string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...names, 'page', 'per_page', 'limit', 'unknown'), fc.string({ maxLength: 8 })),
        fc.oneof(urlPart, fc.constant('')),
        fc.boolean(),
      ),
      { maxLength: 6 },
    )
    .map((pairs) =>
      pairs.length === 0
        ? ''
        : `?${pairs.map(([name, value, bare]) => (bare && value === '' ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${value}`)).join('&')}`,
    );

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  badText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 2 ** 53 + 1, -1, 1e308, Number.MAX_SAFE_INTEGER),
  fc.array(badText, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), badText, { maxKeys: 3 }),
  fc.constant('2024-02-30'),
  fc.constant('http://example.com/'.padEnd(3000, 'a')),
  fc.constant(Array.from({ length: 100 }, (_, i) => `genre${i}`)),
);

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A request body as sent on the wire, with its Content-Type (or none). */
export const badBody = (names: string[]) =>
  fc.record({
    text: fc.oneof(
      // Right keys, wrong things.
      fc
        .dictionary(fc.constantFrom(...names, 'title_id', 'type', 'extra'), badValue, { maxKeys: 5 })
        .map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        '',
        '{',
        '{"a":}',
        "{'single': 'quotes'}",
        'null',
        '[]',
        '"just a string"',
        '1e999',
        '{"__proto__": {"polluted": true}}',
        '{"constructor": {"prototype": {"polluted": true}}}',
        '\uFEFF{}',
        '{"display_name": "\\u0000"}',
        '{"display_name": "\\ud800"}',
        nested(5000),
        nestedObject(5000),
        nested(200_000),
        JSON.stringify({ display_name: 'x'.repeat(900_000) }),
      ),
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
      'garbage',
    ),
  });
