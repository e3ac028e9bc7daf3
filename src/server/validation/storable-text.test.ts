import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { assertStorableText, findUnstorableText } from "./storable-text";

describe("storable text", () => {
  it("finds NUL bytes and lone surrogates anywhere, naming the path", () => {
    expect(findUnstorableText("a\u0000b")).toEqual({ path: "input", reason: "a NUL byte" });
    expect(findUnstorableText({ mailUsers: [{ email: "ok" }, { email: "x\uD800" }] })).toEqual({
      path: "mailUsers.1.email",
      reason: "a lone surrogate (broken UTF-16)",
    });
    expect(findUnstorableText({ a: { "\uDC00k": 1 } })?.path).toBe("a.\\udc00k");
  });
  it("accepts what PostgreSQL stores faithfully: pairs, RTL overrides, %00, SQL and HTML text", () => {
    for (const s of ["𝔘nicode", "\u202Eevil", "%00", "' OR 1=1 --", "<script>alert(1)</script>", "", "\uFFFF"]) {
      expect(findUnstorableText({ s })).toBeNull();
    }
  });
  it("throws a 400 whose message and fields name the field", () => {
    try {
      assertStorableText({ domain: "ex\u0000ample.com" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.httpStatus).toBe(400);
      expect(err.message).toContain('"domain"');
      expect(err.fields).toHaveProperty("domain");
    }
  });
});
