# The Kiln launcher image: the init container (`kiln-pod-launcher fetch`) and the
# native sidecar (`kiln-pod-launcher publish`) of every step pod. User images
# need nothing from it; they only need /bin/sh.
# Build from the repository root:
#   docker build -f deploy/launcher.Dockerfile -t ghcr.io/kiln-dev/kiln-launcher:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /opt/kiln
COPY package.json package-lock.json ./
# The launcher needs the store clients and zod, not Temporal or the Kubernetes client.
RUN npm ci --no-audit --no-fund --omit=dev \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15 \
 && rm -rf node_modules/@temporalio node_modules/@kubernetes node_modules/@swc node_modules/nx
COPY tsconfig.base.json ./
COPY libs/ir ./libs/ir
COPY libs/artifacts ./libs/artifacts
COPY libs/launcher ./libs/launcher
# The in-pod program (fetch/publish phases) lives with the executor until the launcher exposes the phases.
COPY libs/k8s-activities/src/in-pod ./libs/k8s-activities/src/in-pod

FROM node:20-bookworm-slim
WORKDIR /opt/kiln
ENV NODE_ENV=production TSX_TSCONFIG_PATH=/opt/kiln/tsconfig.base.json
COPY --from=build /opt/kiln /opt/kiln
RUN printf '#!/bin/sh\nexec node --import tsx /opt/kiln/libs/k8s-activities/src/in-pod/cli.ts "$@"\n' > /usr/local/bin/kiln-pod-launcher \
 && chmod 0755 /usr/local/bin/kiln-pod-launcher
# Non-root; the pod's emptyDir (/kiln) is world-writable, and the fetch phase opens the output folders to the main container's user.
USER 65532:65532
ENTRYPOINT ["kiln-pod-launcher"]
