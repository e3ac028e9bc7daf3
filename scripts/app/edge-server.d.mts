// Types for the tests that import the edge server (scripts/app/edge-server.mjs).
export function socketAddress(socket: { remoteAddress?: string } | null | undefined): string;
export function installClientAddress(hops: number): void;
