# syntax=docker/dockerfile:1
# Berth panel image: Next.js standalone output, non-root, migrations applied at start.
# Needs no network beyond the npm registry. Run: docker run -e DATABASE_URL=… -e AUTH_SECRET=… -p 3000:3000 berth

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate \
 && npx next build \
 && bash scripts/standalone.sh prepare

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 PGLITE_DIR=/data/pglite
RUN groupadd --system --gid 1001 berth && useradd --system --uid 1001 --gid berth --home-dir /nonexistent berth \
 && mkdir -p /data && chown berth:berth /data
# The standalone server with what it traced in (wasm schema engine, prisma/migrations), plus static assets;
# server.js is Berth's edge server in front of Next's (scripts/app/edge-server.mjs).
COPY --from=build --chown=root:root /app/.next/standalone ./
COPY --from=build --chown=root:root /app/.next/static ./.next/static
USER 1001:1001
VOLUME ["/data"]
EXPOSE 3000
CMD ["node", "server.js"]
