# syntax=docker/dockerfile:1
# Recognize workers on NVIDIA GPUs: `docker build -f infra/worker-gpu.Dockerfile -t folio-worker-gpu .`
# onnxruntime-node's CUDA 12 provider is installed by its own install script (a NuGet package
# download; the CPU images skip it), and the worker reads OCR_PROVIDERS=cuda,cpu. Node comes from
# the official Node image (copied, no remote script piped into a shell).
ARG NODE_IMAGE=node:24-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json tsconfig.json ./
COPY scripts scripts
COPY apps apps
COPY libs libs
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
COPY scripts/prune-production.mjs scripts/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
 && ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js \
 && node scripts/prune-production.mjs

FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
WORKDIR /app
ENV NODE_ENV=production OCR_PROVIDERS=cuda,cpu WORKER_QUEUES=recognize METRICS_PORT=9464
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY prisma prisma
COPY apps apps
COPY libs libs
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/v1/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/worker.js"]
