import { verifyAnswer, stopComparisonWorker } from './dist/index.js';
const cases = [
 ['$45^\\circ, 135^\\circ$', 'The solutions are $45^\\circ$ or $135^\\circ$.'],
 ['$3 \\pm 2 \\sqrt{2}$', 'So $x = 3 + 2 \\sqrt{2}$ or $x = 3 - 2 \\sqrt{2}$.'],
 ['$-4, 4$', '\\boxed{\\pm 4}'],
 ['$25\\%$', '\\boxed{y = 25\\%}'],
 ['$\\frac{4036082}{4036081}$', '$\\frac{4036081}{4036082}$'],
 ['$111, \\! 111, \\! 111$', 'The solutions are $111$ or $\\! 111$ or $\\! 111$.'],
 ['$3:00$', '\\boxed{4:00}'], ['$3:00$', '\\boxed{3:00}'], ['$28\\%$','28'], ['$-30$','$-30\\%$'],
];
for (const [gold, pred] of cases) { const r = verifyAnswer({ gold, pred, isolation: 'inline' }); console.log(r.equivalent, r.method, JSON.stringify(r.extractedGold), JSON.stringify(r.extractedPred)); }
stopComparisonWorker();
