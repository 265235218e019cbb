import sharp from 'sharp';
import { createOcrEngine } from '../src/index.ts';
const file = process.argv[2]!;
const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true });
const engine = await createOcrEngine({ threads: 1, measureCpu: true, ...JSON.parse(process.env.OPTS ?? '{}') });
const raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4 };
await engine.recognize(raster);
for (let i = 0; i < 2; i++) {
const c0 = process.cpuUsage();
const page = await engine.recognize(raster);
const cu = process.cpuUsage(c0);
console.error(JSON.stringify(Object.fromEntries(Object.entries(page.timings!).map(([k,v])=>[k,Math.round(v)]))), 'cpu', (cu.user + cu.system) / 1e6);
}
await engine.close();
