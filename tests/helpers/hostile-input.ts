import fc from "fast-check";

/**
 * Inputs an attacker would send: strings PostgreSQL cannot store, strings that
 * look like SQL, HTML or path tricks, huge strings, wrong types, deep nesting
 * and huge arrays, and inputs shaped like a procedure's own schema (so the
 * hostile values reach the fields behind the first validation).
 */
const NASTY = [
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDFFFy",
  "\uDBFF\uDBFF",
  "%00",
  "%u0000",
  "\u202Eexe.txt",
  "\u200B\u200D\uFEFF",
  "' OR '1'='1",
  "'; DROP TABLE \"User\"; --",
  "\\",
  "\"",
  "$1",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "../../../etc/passwd",
  "xn--",
  "раypal.com",
  "__proto__",
  "constructor",
  "9".repeat(400),
  "-1",
  "NaN",
  "",
  " ",
];

export const hostileString = (extra: string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...NASTY, ...(extra.length ? extra : ["x"])) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...extra, "a"), fc.constantFrom("\u0000", "\uD800", "\uDC00")).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.constant("x".repeat(1 << 20)) },
  );

const nested = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

export const anyValue = (extra: string[]): fc.Arbitrary<unknown> =>
  fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      hostileString(extra),
      fc.integer(),
      fc.double(),
      fc.constantFrom(true, false, null, 0, -1, Number.MAX_SAFE_INTEGER, 1e308),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(hostileString(extra), tie("v"), { maxKeys: 4 }),
    ),
  })).v;

export const structural: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 50, max: 3000 }).map(nested),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => Array.from({ length: n }, () => "a")),
  fc.constant(undefined),
);

type ZodDef = { type: string; shape?: Record<string, { _zod: { def: ZodDef } }>; element?: { _zod: { def: ZodDef } }; innerType?: { _zod: { def: ZodDef } }; in?: { _zod: { def: ZodDef } }; options?: { _zod: { def: ZodDef } }[]; entries?: Record<string, string> };

/** An input shaped like the schema, each leaf sometimes valid-looking, sometimes hostile, sometimes the wrong type. */
export function shapedLike(def: ZodDef | undefined, extra: string[], depth = 0): fc.Arbitrary<unknown> {
  const wild = anyValue(extra);
  if (!def || depth > 5) return wild;
  const inner = (d: { _zod: { def: ZodDef } } | undefined) => shapedLike(d?._zod.def, extra, depth + 1);
  const typed = (() => {
    switch (def.type) {
      case "object":
        return fc.record(Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, inner(v)])), { requiredKeys: [] });
      case "array":
        return fc.array(inner(def.element), { maxLength: 2 });
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
        // Mostly left out, so the hostile values elsewhere get past the first validation.
        return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: inner(def.innerType) });
      case "pipe":
        return inner(def.in);
      case "union":
        return fc.oneof(...(def.options ?? []).map((o) => inner(o)));
      case "enum":
        return fc.oneof(fc.constantFrom(...Object.values(def.entries ?? { x: "x" })), hostileString(extra));
      case "string":
        return fc.oneof(fc.constantFrom(...extra, "x"), hostileString(extra));
      default:
        return wild;
    }
  })();
  return fc.oneof({ weight: 8, arbitrary: typed }, { weight: 1, arbitrary: wild });
}
