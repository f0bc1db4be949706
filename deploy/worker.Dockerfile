# The Kiln worker: Temporal worker with the local and Kubernetes executors.
# Build from the repository root:
#   docker build -f deploy/worker.Dockerfile -t ghcr.io/kiln-dev/kiln-worker:0.1.0 .
# Libraries are source-only (Nx, tsx at run time; see CONTRIBUTING.md "Modules").
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps/worker ./apps/worker
# Bundling the workflows at build time makes the worker start in a second (Temporal's production advice).
RUN node --import tsx apps/worker/src/build-bundle.ts dist/kiln-workflows.js \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production KILN_WORKFLOW_BUNDLE=/app/dist/kiln-workflows.js
COPY --from=build /app /app
USER 65532:65532
EXPOSE 9464
ENTRYPOINT ["node", "--import", "tsx", "apps/worker/src/main.ts"]
