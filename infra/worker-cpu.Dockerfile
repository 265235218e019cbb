# syntax=docker/dockerfile:1
# Workers on CPU (render and recognize): `docker build -f infra/worker-cpu.Dockerfile -t folio-worker-cpu .`
# Built like infra/api.Dockerfile: dist/ from a full install, production dependencies only in
# the image, `USER node`, plain Node as PID 1 (it handles SIGTERM and drains; no child processes).
ARG NODE_IMAGE=node:24-bookworm-slim

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
 && node scripts/prune-production.mjs

FROM ${NODE_IMAGE}
WORKDIR /app
# METRICS_PORT: the worker's own /metrics and /v1/health/* (the HEALTHCHECK and k8s probes use them).
ENV NODE_ENV=production OCR_PROVIDERS=cpu METRICS_PORT=9464
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY prisma prisma
COPY apps apps
COPY libs libs
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/v1/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/worker.js"]
