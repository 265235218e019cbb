# Recognize workers on NVIDIA GPUs: onnxruntime-node's CUDA 12 provider is fetched at install
# time here (the CPU images skip it), and the worker reads OCR_PROVIDERS=cuda,cpu.
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production OCR_PROVIDERS=cuda,cpu WORKER_QUEUES=recognize
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY apps apps
COPY libs libs
COPY prisma prisma
RUN npm ci --no-audit --no-fund --onnxruntime-node-install=cuda12
CMD ["npx", "tsx", "apps/worker/src/main.ts"]
