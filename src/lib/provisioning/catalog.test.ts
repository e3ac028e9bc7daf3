import { describe, expect, it } from "vitest";
import { KIND_ORDER, STEP_CATALOG, stepsFor } from "./catalog";

describe("the step catalog", () => {
  it("names each step once per kind, with both titles and a subsystem", () => {
    for (const kind of KIND_ORDER) {
      const names = STEP_CATALOG[kind].map((s) => s.name);
      expect(new Set(names).size, kind).toBe(names.length);
      for (const s of STEP_CATALOG[kind]) expect(s.title && s.technicalTitle && s.subsystem, `${kind}/${s.name}`).toBeTruthy();
    }
  });

  it("applies in order without remove-only steps, and removes in reverse with only the steps that remove", () => {
    expect(stepsFor("Customer", "APPLY", () => true).map((s) => s.name)).toEqual(["namespace", "quota", "limits", "network-policy", "backup-labels"]);
    expect(stepsFor("Customer", "DELETE", (n) => n === "namespace" || n === "leftovers").map((s) => s.name)).toEqual(["namespace", "leftovers"]);
    expect(stepsFor("Domain", "RESYNC", () => false).map((s) => s.name)).toEqual(STEP_CATALOG.Domain.map((s) => s.name));
  });
});
