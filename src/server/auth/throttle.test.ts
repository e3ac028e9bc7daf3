import { describe, expect, it } from "vitest";
import { delayFor, scopeOfKey, throttleKeys, type ThrottlePolicy } from "./throttle";

const p: ThrottlePolicy = {
  failuresBeforeDelay: 5,
  delayBaseSeconds: 30,
  maxDelaySeconds: 900,
  maxFailuresPerAddress: 20,
  maxFailuresPerAccount: 100,
  windowSeconds: 3600,
  lockoutSeconds: 900,
  trustedAddressDays: 30,
};

describe("sign-in throttle policy", () => {
  it("delays an (account, address) pair progressively from its threshold, capped", () => {
    expect([1, 4, 5, 6, 7, 9, 10, 1000].map((f) => delayFor("pair", f, p))).toEqual([0, 0, 30, 60, 120, 480, 900, 900]);
  });
  it("delays an address only at its own, higher threshold", () => {
    expect([19, 20, 21].map((f) => delayFor("address", f, p))).toEqual([0, 30, 60]);
  });
  it("locks an account only at the account threshold, for the lockout", () => {
    expect([99, 100, 150].map((f) => delayFor("account", f, p))).toEqual([0, 900, 900]);
  });
  it("keys by normalised e-mail and address, and reads the scope back", () => {
    const k = throttleKeys(" Admin@Berth.Test ", "127.0.0.5");
    expect(k).toEqual({ pair: "pair:admin@berth.test|127.0.0.5", address: "address:127.0.0.5", account: "account:admin@berth.test" });
    expect([k.pair, k.address, k.account, "other:x"].map(scopeOfKey)).toEqual(["pair", "address", "account", null]);
  });
});
