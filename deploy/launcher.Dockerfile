# The Kiln launcher image: the native sidecar of every step pod (`kiln-pod-launcher launch`, or `kiln-static-launcher
# launch` for a step that moves no artifacts; in the
# two-process layout the init container `kiln-pod-launcher fetch` and the sidecar `kiln-pod-launcher publish`). User images
# need nothing from it: /bin/sh for container components, python3 for python
# components (the fetch phase copies the shim, libs/launcher/python/kiln_shim.py,
# from this image into the pod's emptyDir, where the user's image runs it).
# Build from the repository root:
#   docker build -f deploy/launcher.Dockerfile -t ghcr.io/kiln-dev/kiln-launcher:0.1.0 .
#
# The in-pod program (libs/k8s-activities/src/in-pod/cli.ts, composed of the launcher's phases) ships as two
# esbuild bundles (CommonJS), each with a small loader and V8's code cache of it, made by a first run at build time:
# the light one (kiln-pod-launcher.cjs: arguments, a small store client for the request and the records, the
# command's resolution) starts in every step pod before the user's command may run; the heavy one
# (kiln-pod-launcher.heavy.cjs: the full store with the minio client, input fetch, artifact upload, the whole IR
# schema) is loaded only by a step with input or output artifacts. The caches spare them compiling their modules
# again (Node 20 has no compile cache for ES modules). Build and run stages use the same Node image, so V8 accepts
# the caches. The image holds the loaders, the bundles, their caches and the Python shim; no node_modules, no
# TypeScript. (`build-bundle.ts --eager` builds the one eager bundle of before instead.)
# The static launcher (apps/static-launcher, Go): the launcher of steps that move no artifacts (the worker picks it
# per step and hands it a plan; it starts in milliseconds where Node takes ~150 ms). A static binary (no cgo).
FROM golang:1.26-bookworm AS static
WORKDIR /src
COPY apps/static-launcher ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/kiln-static-launcher . && go test ./...

FROM node:20-bookworm-slim AS build
WORKDIR /opt/kiln
COPY package.json package-lock.json ./
# esbuild (a dependency) bundles; tsx runs the build script. Everything the bundle needs is inlined into it.
RUN npm ci --no-audit --no-fund --omit=dev \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15
COPY tsconfig.base.json ./
COPY libs/ir ./libs/ir
COPY libs/artifacts ./libs/artifacts
COPY libs/launcher/src ./libs/launcher/src
COPY libs/launcher/python ./libs/launcher/python
# The store's keys and record schemas, and the engine contract's schemas they reuse (pure, no Temporal client).
COPY libs/store-layout/src ./libs/store-layout/src
COPY libs/engine/contract/src ./libs/engine/contract/src
# It imports only @kiln/launcher, @kiln/store-layout, @kiln/artifacts, @kiln/ir and its own folder (no Kubernetes or
# Temporal client).
COPY libs/k8s-activities/src/in-pod ./libs/k8s-activities/src/in-pod
RUN TSX_TSCONFIG_PATH=tsconfig.base.json node --import tsx libs/k8s-activities/src/in-pod/build-bundle.ts --out /out/kiln-pod-launcher.cjs --launcher-dir /opt/kiln/launcher \
 && mkdir -p /out/launcher && cp -r libs/launcher/python /out/launcher/python

FROM node:20-bookworm-slim
WORKDIR /opt/kiln
# KILN_LAUNCHER_DIR: the folder holding python/kiln_shim.py (the bundle was built with the same default).
ENV NODE_ENV=production KILN_LAUNCHER_DIR=/opt/kiln/launcher
COPY --from=build /out/ /opt/kiln/
COPY --from=static /out/kiln-static-launcher /usr/local/bin/kiln-static-launcher
RUN printf '#!/bin/sh\nexec node /opt/kiln/kiln-pod-launcher.cjs "$@"\n' > /usr/local/bin/kiln-pod-launcher \
 && chmod 0755 /usr/local/bin/kiln-pod-launcher
# Non-root; the pod's emptyDir (/kiln) is world-writable, and the fetch phase opens the output folders to the main container's user.
USER 65532:65532
ENTRYPOINT ["kiln-pod-launcher"]
