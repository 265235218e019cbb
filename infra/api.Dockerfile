FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY apps apps
COPY libs libs
COPY prisma prisma
RUN npm ci --no-audit --no-fund
EXPOSE 8080
# Migrations are applied by the API before it listens (advisory-locked, so replicas are safe).
CMD ["npx", "tsx", "apps/api/src/main.ts"]
