# syntax=docker/dockerfile:1
#
# The load runner: hotswap (Node 20) plus the pinned k6 (v2.2.0, built from tools/k6 exactly as
# `npm run setup` builds it, so a containerised trial uses the same k6 as a local one).
#
#   docker build -f deploy/docker/runner.Dockerfile -t hotswap-runner .
#
# docker-compose.yml runs it under the `load` profile with scenarios/ and the plan mounted read-only and
# reports/ mounted read-write, so the trial folder (raw k6 output, scrapes, manifest, report) lands on the
# host. It runs as the image's non-root `node` user (uid 1000).

ARG GO_VERSION=1.26
ARG NODE_VERSION=20

FROM golang:${GO_VERSION}-bookworm AS k6
WORKDIR /src/tools/k6
COPY tools/k6/ ./
RUN go build -trimpath -o /out/k6 go.k6.io/k6/v2 && /out/k6 version

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src/ ./src/
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS runner
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin/ ./bin/
COPY scenarios/ ./scenarios/
COPY plans/ ./plans/
COPY --from=k6 /out/k6 /usr/local/bin/k6
RUN mkdir -p /app/.tools/bin /app/reports \
 && ln -s /usr/local/bin/k6 /app/.tools/bin/k6 \
 && chown node:node /app/reports
USER node
ENV NODE_ENV=production PATH=/app/.tools/bin:$PATH HOTSWAP_K6=/usr/local/bin/k6
ENTRYPOINT ["node", "/app/bin/hotswap.js"]
CMD ["--help"]
