import { describe, expect, it } from "vitest";
import { covers, differingPaths } from "./kube-changes";

describe("comparing a rendered object with the live one", () => {
  const live = {
    metadata: { name: "web", labels: { app: "web", "app.kubernetes.io/managed-by": "berth", extra: "x" }, resourceVersion: "42" },
    spec: { replicas: 1, template: { spec: { containers: [{ name: "web", image: "nginx:1", ports: [{ containerPort: 8080, protocol: "TCP" }] }] } } },
    status: { readyReplicas: 1 },
  };

  it("holds when every field Berth sets is there (server defaults and extra fields aside)", () => {
    const want = { metadata: { name: "web", labels: { app: "web" } }, spec: { replicas: 1, template: { spec: { containers: [{ name: "web", image: "nginx:1", ports: [{ containerPort: 8080 }] }] } } } };
    expect(covers(live, want)).toBe(true);
    expect(differingPaths(live, want)).toEqual([]);
  });

  it("names the fields that differ", () => {
    const want = { spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "nginx:2" }] } } } };
    expect(covers(live, want)).toBe(false);
    expect(differingPaths(live, want)).toEqual(["spec.replicas", "spec.template.spec.containers[0].image"]);
  });

  it("a list of another length differs as a whole; a number and its string form are equal", () => {
    expect(differingPaths(live, { spec: { template: { spec: { containers: [{ name: "web" }, { name: "sidecar" }] } } } })).toEqual(["spec.template.spec.containers"]);
    expect(covers({ port: 80 }, { port: "80" })).toBe(true);
    expect(covers({}, { missing: "x" })).toBe(false);
    expect(covers({ a: null }, { a: "null" })).toBe(false);
  });
});
