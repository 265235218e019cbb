# syntax=docker/dockerfile:1
# The API: `docker build -f infra/api.Dockerfile -t folio-api .` (context: the repository root).
# Stage 1 builds dist/ with the dev dependencies; stage 2 installs the production dependencies
# only; the image gets both, runs as `node` and starts plain Node on the bundle (no npm, no tsx),
# so SIGTERM reaches the process that drains. Node handles it itself and starts no child
# processes, so no init (tini) is needed as PID 1.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node's postinstall would fetch the CUDA provider from NuGet; CPU needs nothing more.
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
ENV NODE_ENV=production
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# Read at run time beside the bundle: migrations, the review page, calibration ranges.
COPY prisma prisma
COPY apps apps
COPY libs libs
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/v1/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations are applied by the API before it listens (advisory-locked, so replicas are safe).
CMD ["node", "dist/api.js"]
