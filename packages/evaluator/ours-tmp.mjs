import { readFileSync, writeFileSync } from 'node:fs';
const dist = process.argv[2];
const { verifyAnswer, stopComparisonWorker } = await import(dist);
const pairs = readFileSync('/tmp/dt/corpus.jsonl','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l));
const t=Date.now();
const out = pairs.map(p => { try { const r = verifyAnswer({ gold: p.gold, pred: p.pred, isolation: 'inline' }); return {equivalent: r.equivalent, g: r.extractedGold, p: r.extractedPred, m: r.method}; } catch (e) { return {equivalent:false, error:String(e)} } });
console.error('ours seconds', (Date.now()-t)/1000);
writeFileSync(process.argv[3], out.map(o=>JSON.stringify(o)).join('\n')+'\n');
stopComparisonWorker();
