import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password";

describe("panel password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
  });

  it("stores a salted scrypt PHC string, never the password", async () => {
    const a = await hashPassword("same-password");
    const b = await hashPassword("same-password");
    expect(a).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain("same-password");
    expect(a).not.toBe(b);
  });

  it("treats malformed stored hashes as a failed check, and flags weak parameters for rehash", async () => {
    expect(await verifyPassword("x", "plaintext")).toBe(false);
    expect(await verifyPassword("x", "$scrypt$ln=15,r=8,p=1$!!$!!")).toBe(false);
    expect(needsRehash("$scrypt$ln=10,r=8,p=1$c2FsdA==$aGFzaA==")).toBe(true);
    expect(needsRehash(await hashPassword("y"))).toBe(false);
  });
});
