# The Kiln HTTP API.
# Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t ghcr.io/kiln-dev/kiln-api:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps/api ./apps/api

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "apps/api/src/main.ts"]
