FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip OCR_PROVIDERS=cpu
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY apps apps
COPY libs libs
COPY prisma prisma
RUN npm ci --no-audit --no-fund
CMD ["npx", "tsx", "apps/worker/src/main.ts"]
