/** Runs once when the server starts; the work lives in a Node-only module. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/server/startup/node");
    await startServer();
  }
}
