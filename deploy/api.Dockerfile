# The Kiln HTTP API, serving the web UI under /ui/.
# Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t ghcr.io/kiln-dev/kiln-api:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps/api ./apps/api
COPY apps/ui ./apps/ui
# The UI is built with the dev dependencies (Vite, React), which are then dropped: the API image
# keeps only apps/ui/dist, checked against the UI's JS budget by the build itself.
RUN npx vite build --config apps/ui/vite.config.ts \
 && find apps/ui -mindepth 1 -maxdepth 1 ! -name dist -exec rm -rf {} + \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Same origin as the API, behind the same tokens; unset it to run the API without the UI.
ENV KILN_UI_DIR=/app/apps/ui/dist
COPY --from=build /app /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "apps/api/src/main.ts"]
