/** Dev helper: `tsx libs/ocr/scripts/ocr-image.ts IMAGE` prints lines and timings. */
import sharp from 'sharp';
import { createOcrEngine } from '../src/index.ts';

const file = process.argv[2]!;
const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true });
const engine = await createOcrEngine({ threads: Number(process.env.THREADS ?? 1), ...JSON.parse(process.env.OPTS ?? "{}") });
const raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4 };
const c0 = process.cpuUsage();
const page = await engine.recognize(raster);
const cu = process.cpuUsage(c0);
for (const b of page.blocks) for (const l of b.lines) console.log(l.text);
console.error(JSON.stringify(page.timings), 'cpu', (cu.user + cu.system) / 1e6, 'rotation', page.rotation);
await engine.close();
