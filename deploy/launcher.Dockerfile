# The Kiln launcher image: the init container (`kiln-pod-launcher fetch`) and the
# native sidecar (`kiln-pod-launcher publish`) of every step pod. User images
# need nothing from it: /bin/sh for container components, python3 for python
# components (the fetch phase copies the shim, libs/launcher/python/kiln_shim.py,
# from this image into the pod's emptyDir, where the user's image runs it).
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
# The launcher's phases (src/phases) and the Python shim (python/kiln_shim.py).
COPY libs/launcher/src ./libs/launcher/src
COPY libs/launcher/python ./libs/launcher/python
# The in-pod program: the pod's side of the Kubernetes executor, composed of the launcher's phases.
# It imports only @kiln/launcher, @kiln/artifacts and its own folder (no Kubernetes or Temporal client).
COPY libs/k8s-activities/src/in-pod ./libs/k8s-activities/src/in-pod

FROM node:20-bookworm-slim
WORKDIR /opt/kiln
# KILN_LAUNCHER_DIR: where the shim is found (the launcher otherwise works it out from its own source path).
ENV NODE_ENV=production TSX_TSCONFIG_PATH=/opt/kiln/tsconfig.base.json KILN_LAUNCHER_DIR=/opt/kiln/libs/launcher
COPY --from=build /opt/kiln /opt/kiln
RUN printf '#!/bin/sh\nexec node --import tsx /opt/kiln/libs/k8s-activities/src/in-pod/cli.ts "$@"\n' > /usr/local/bin/kiln-pod-launcher \
 && chmod 0755 /usr/local/bin/kiln-pod-launcher
# Non-root; the pod's emptyDir (/kiln) is world-writable, and the fetch phase opens the output folders to the main container's user.
USER 65532:65532
ENTRYPOINT ["kiln-pod-launcher"]
